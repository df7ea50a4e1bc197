/**
 * Rate-limit overrides: GET /admin/rate-limits (defaults and overrides), PUT and DELETE
 * /admin/rate-limits/{key|user|team}/{id}. A value is a positive number, "unlimited", or null
 * (back to the default); a field left out keeps its current value.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { OverrideRow, SubjectType } from '../limits/rate-limits/overrides.repo.js';
import type { Limits } from '../limits/rate-limits/overrides.service.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const limitValue = z.union([z.number().int().positive().max(2_000_000_000), z.literal('unlimited'), z.null()]);
const setBody = z.object({ rpm: limitValue.optional(), tpm: limitValue.optional(), concurrency: limitValue.optional() }).strict();
const params = z.object({ scope: z.enum(['key', 'user', 'team']), id: z.string().trim().min(1).max(200) });

/** Stored 0 means unlimited; the API says so in words. */
const shown = (value: number | null): number | 'unlimited' | null => (value === 0 ? 'unlimited' : value);
const stored = (value: z.infer<typeof limitValue> | undefined) => (value === 'unlimited' ? 0 : value);

function presentOverride(row: OverrideRow, effective: Limits, subjectName: string | null) {
  return {
    subject_type: row.subject_type,
    subject_id: row.subject_id,
    /** The key's prefix, the user's email or the team's name (null once the subject is deleted). */
    subject_name: subjectName,
    rpm: shown(row.rpm),
    tpm: shown(row.tpm),
    concurrency: shown(row.concurrency),
    /** What applies now, defaults filled in (null: unlimited). */
    effective,
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** One override as the admin API shows it, and the GET /admin/rate-limits answer (shared with the CLI). */
export type RateLimitOverrideResponse = ReturnType<typeof presentOverride>;
export interface RateLimitsResponse {
  defaults: Record<SubjectType, Limits>;
  data: RateLimitOverrideResponse[];
}
export type SetRateLimitBody = z.input<typeof setBody>;

export function registerRateLimitRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const limits = deps.rateLimits;
  const present = (row: OverrideRow, name: string | null) => presentOverride(row, limits.limitsFor(row.subject_type, row.subject_id), name);

  /** The subject's human name; 404 when there is no such subject. */
  async function subjectName(scope: SubjectType, id: string): Promise<string> {
    if (scope === 'user') return (await deps.users.get(id)).email;
    if (scope === 'team') return (await deps.teams.get(id)).name;
    const key = (await deps.keys.list({ includeRevoked: true })).find((candidate) => candidate.id === id);
    if (!key) throw new ApiError('not_found', `no key with id ${id}`);
    return key.prefix;
  }

  /** Every subject's name at once, for the listing. */
  async function allSubjectNames(): Promise<Map<string, string>> {
    const [keys, users, teams] = await Promise.all([deps.keys.list({ includeRevoked: true }), deps.users.list({}), deps.teams.list()]);
    return new Map([
      ...keys.map((key) => [`key:${key.id}`, key.prefix] as const),
      ...users.map((user) => [`user:${user.id}`, user.email] as const),
      ...teams.map((team) => [`team:${team.id}`, team.name] as const),
    ]);
  }

  app.get('/rate-limits', async (): Promise<RateLimitsResponse> => {
    const [rows, names] = await Promise.all([limits.list(), allSubjectNames()]);
    return { defaults: limits.defaults, data: rows.map((row) => present(row, names.get(`${row.subject_type}:${row.subject_id}`) ?? null)) };
  });

  app.put<{ Params: { scope: string; id: string } }>('/rate-limits/:scope/:id', async (request) => {
    const { scope, id } = validate(params, request.params);
    const body = validate(setBody, request.body);
    const name = await subjectName(scope, id);
    return present(await limits.set(scope, id, { rpm: stored(body.rpm), tpm: stored(body.tpm), concurrency: stored(body.concurrency) }), name);
  });

  app.delete<{ Params: { scope: string; id: string } }>('/rate-limits/:scope/:id', async (request, reply) => {
    const { scope, id } = validate(params, request.params);
    await limits.clear(scope, id);
    return reply.code(204).send();
  });
}
