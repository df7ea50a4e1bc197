/**
 * Fleet policies (docs/policies.md, docs/admin-api.md#policies): CRUD on /admin/policies, reorder
 * (POST /admin/policies/:id/move), the resolution mode (GET/PUT /admin/policies/settings), what a
 * user gets and why (GET /admin/policies/resolve?user=<email|id>), and settings drift
 * (GET /admin/policies/drift). Saves answer the policy with the settings document's `warnings`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { JsonValue } from '../policy/checksum.js';
import { modelMatches, MODEL_PATTERN } from '../policy/model-allowlist.js';
import type { PolicyInput, StoredPolicy } from '../policy/policies.repo.js';
import type { PolicyArea } from '../policy/policy.area.js';
import { POLICY_MODES, type EffectivePolicy } from '../policy/resolution.js';
import { listQuery, pageInMemory } from './list-query.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const names = (what: string, pattern: RegExp) => z.array(z.string().trim().regex(pattern, `each ${what} must match ${pattern}`)).max(200);
const matchBody = z
  .object({
    everyone: z.boolean().default(false),
    teams: z.array(z.string().trim().min(1).max(200)).max(200).default([]),
    groups: z.array(z.string().trim().min(1).max(256)).max(200).default([]),
    domains: names('domain', /^[a-z0-9.-]+\.[a-z]{2,}$/i).default([]),
  })
  .strict();
const allowedModels = z.array(z.string().trim().regex(MODEL_PATTERN, 'must be a model name or pattern (printable, no spaces)')).min(1).max(200).nullable();
const defaultModel = z.string().trim().min(1).max(200).nullable();
const settings = z.record(z.string(), z.unknown());
const name = z.string().trim().min(1).max(100);
const createBody = z
  .object({ name, match: matchBody, allowed_models: allowedModels.default(null), default_model: defaultModel.default(null), settings: settings.default({}) })
  .strict();
// No defaults here: a field left out of a PATCH keeps its stored value.
const updateBody = z.object({ name, match: matchBody, allowed_models: allowedModels, default_model: defaultModel, settings }).partial().strict();
const moveBody = z.object({ position: z.number().int().min(1) }).strict();
const modeBody = z.object({ mode: z.enum(POLICY_MODES) }).strict();
const idParams = z.object({ id: z.string().trim().min(1).max(100) });
const resolveQuery = z.object({ user: z.string().trim().min(1).max(320) });
const driftQuery = z.object({
  hours: z.coerce.number().int().min(1).max(24 * 90).optional(),
  all: z.enum(['true', 'false']).optional(),
});
const listSchema = listQuery({ position: 'asc', name: 'asc', updated_at: 'desc' }, 'position');

export function registerPolicyRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const area = deps.policies;
  if (!area) return;
  const { service } = area;

  async function teamNames(): Promise<Map<string, string>> {
    return new Map((await deps.teams.list()).map((team) => [team.id, team.name]));
  }

  function present(policy: StoredPolicy, teams: Map<string, string>) {
    return {
      id: policy.id,
      name: policy.name,
      position: policy.position,
      match: {
        everyone: policy.match.everyone,
        teams: policy.match.teams.map((id) => ({ id, name: teams.get(id) ?? null })),
        groups: policy.match.groups,
        domains: policy.match.domains,
      },
      allowed_models: policy.allowedModels,
      default_model: policy.defaultModel,
      settings: policy.settings,
      created_at: new Date(policy.createdAt).toISOString(),
      updated_at: new Date(policy.updatedAt).toISOString(),
      updated_by: policy.updatedBy,
    };
  }

  async function inputOf(body: z.infer<typeof createBody>): Promise<PolicyInput> {
    const teams = await teamNames();
    const unknown = body.match.teams.filter((id) => !teams.has(id));
    if (unknown.length > 0) throw new ApiError('invalid_request', `match.teams: no team with id ${unknown.join(', ')}`);
    const { everyone, groups, domains } = body.match;
    if (!everyone && body.match.teams.length + groups.length + domains.length === 0) {
      throw new ApiError('invalid_request', 'match: name at least one team, group or email domain, or set everyone: true');
    }
    if (body.default_model !== null && body.allowed_models !== null && !modelMatches(body.allowed_models, body.default_model)) {
      throw new ApiError('invalid_request', `default_model: "${body.default_model}" is not in this policy's allowed_models`);
    }
    return {
      name: body.name,
      match: { everyone, teams: body.match.teams, groups, domains: domains.map((domain) => domain.toLowerCase()) },
      allowedModels: body.allowed_models,
      defaultModel: body.default_model,
      settings: body.settings as Record<string, JsonValue>,
    };
  }

  const presentEffective = (effective: EffectivePolicy | undefined) =>
    effective && {
      policies: effective.applied.map((policy) => ({ id: policy.id, name: policy.name, position: policy.position })),
      /** A model must match every list (one per policy that sets one). */
      allowlists: effective.applied.filter((policy) => policy.allowedModels !== null).map((policy) => ({ policy: policy.name, models: policy.allowedModels })),
      default_model: effective.defaultModel,
      /** Later layers' default models another layer's allowlist refuses: not delivered. */
      dropped_default_models: effective.droppedDefaults.map((dropped) => ({ model: dropped.model, policy: dropped.policy, refused_by: dropped.refusedBy })),
      uuid: effective.uuid,
      checksum: effective.checksum,
      settings: effective.settings,
    };

  app.get('/policies', async (request) => {
    const query = validate(listSchema, request.query);
    const [policies, teams] = await Promise.all([service.list(), teamNames()]);
    const page = pageInMemory(policies, query, {
      sort: { position: (p) => p.position, name: (p) => p.name, updated_at: (p) => p.updatedAt },
      text: (p) => [p.name, ...p.match.groups, ...p.match.domains, ...p.match.teams.map((id) => teams.get(id))],
    });
    return { ...page, data: page.data.map((policy) => present(policy, teams)), mode: await service.mode() };
  });

  app.post('/policies', async (request, reply) => {
    const saved = await service.create(await inputOf(validate(createBody, request.body)), request.adminUser!.email);
    return reply.code(201).send({ ...present(saved.policy, await teamNames()), warnings: saved.warnings });
  });

  app.get('/policies/settings', async () => ({ mode: await service.mode(), modes: POLICY_MODES }));
  app.put('/policies/settings', async (request) => {
    const { mode } = validate(modeBody, request.body);
    return { mode: await service.setMode(mode, request.adminUser!.email), modes: POLICY_MODES };
  });

  app.get('/policies/resolve', async (request) => {
    const { user } = validate(resolveQuery, request.query);
    const explained = await area.explain(user);
    if (!explained) throw new ApiError('not_found', `no user with id or email ${user}`);
    return {
      user: { id: explained.subject.userId, email: explained.subject.userEmail, team_id: explained.subject.teamId, groups: explained.groups },
      mode: explained.mode,
      matching: explained.matching.map((policy) => ({ id: policy.id, name: policy.name, position: policy.position })),
      effective: presentEffective(explained.effective) ?? null,
    };
  });

  app.get('/policies/drift', async (request) => {
    const query = validate(driftQuery, request.query);
    return area.drift({ hours: query.hours, all: query.all === 'true' });
  });

  app.get<{ Params: { id: string } }>('/policies/:id', async (request) => {
    const { id } = validate(idParams, request.params);
    return present(await service.get(id), await teamNames());
  });

  app.patch<{ Params: { id: string } }>('/policies/:id', async (request) => {
    const { id } = validate(idParams, request.params);
    const changes = validate(updateBody, request.body);
    const current = await service.get(id);
    // A field left out keeps its value; the whole policy is validated again.
    const merged = createBody.parse({
      name: changes.name ?? current.name,
      match: changes.match ?? current.match,
      allowed_models: changes.allowed_models === undefined ? current.allowedModels : changes.allowed_models,
      default_model: changes.default_model === undefined ? current.defaultModel : changes.default_model,
      settings: changes.settings ?? current.settings,
    });
    const saved = await service.update(id, await inputOf(merged), request.adminUser!.email);
    return { ...present(saved.policy, await teamNames()), warnings: saved.warnings };
  });

  app.post<{ Params: { id: string } }>('/policies/:id/move', async (request) => {
    const { id } = validate(idParams, request.params);
    const { position } = validate(moveBody, request.body);
    const teams = await teamNames();
    return { data: (await service.move(id, position, request.adminUser!.email)).map((policy) => present(policy, teams)) };
  });

  app.delete<{ Params: { id: string } }>('/policies/:id', async (request, reply) => {
    const { id } = validate(idParams, request.params);
    await service.delete(id, request.adminUser!.email);
    return reply.code(204).send();
  });
}
