/**
 * Endpoints (upstreams) as stored: validated input, credentials sealed with the master key, and
 * the operations an admin runs on them (edit, default, delete, test, models, quotas). Secrets
 * only ever leave through `secretsOf`, to build upstream clients.
 */
import { randomUUID } from 'node:crypto';
import type { OutboundGuard } from '../config/outbound-guard.js';
import type { SecretBox } from '../config/secret-box.js';
import type { Settings } from '../config/settings.js';
import { ApiError } from '../errors.js';
import type { EndpointConfig, EndpointSecrets, ModelInfo, ServiceQuota, Upstream } from '../upstreams/types.js';
import { checkEndpoint, type EndpointCheckReport } from './endpoint-check.js';
import { applyPatch, splitInput, type EndpointInput, type EndpointPatch } from './endpoint-input.js';
import { presentEndpoint, type EndpointView } from './endpoint-view.js';
import type { EndpointChanges, EndpointRow, EndpointsRepo } from './endpoints.repo.js';
import { classifyProbeFailure, redactSecrets } from './probe-failure.js';

export { endpointInputSchema, endpointPatchSchema, type EndpointInput, type EndpointInputBody, type EndpointPatchBody } from './endpoint-input.js';
export { presentEndpoint, type EndpointConfigView, type EndpointView } from './endpoint-view.js';

export interface EndpointQuotasView {
  data: ServiceQuota[];
  fetched_at: string;
  /** Why there are no quotas to show (Anthropic endpoint, missing permission, ...); null when there are. */
  unavailable: string | null;
}

export interface EndpointsServiceDeps {
  repo: EndpointsRepo;
  box: SecretBox;
  /** Told after every write: the local pool reloads at once (other replicas poll the table's version). */
  onChange: () => Promise<void>;
  /** Team names by id, from identity, for the delete refusal. */
  teamNames: (ids: string[]) => Promise<Map<string, string>>;
  /** Builds a throwaway upstream client with the pool's options (checks, disabled endpoints). */
  createUpstream: (config: EndpointConfig, secrets: EndpointSecrets) => Promise<Upstream>;
  /** The pool's client for an enabled endpoint, reused so its discovery and connections serve the admin too. */
  liveUpstream: (id: string) => Upstream | undefined;
  /** How long read quotas are served from memory (default 10 min): they change on AWS's schedule, not ours. */
  quotasTtlMs?: number;
  checkTimeoutMs?: number;
  /** Refuses a base or endpoint URL pointing at a private address before it is saved or tried. */
  outbound: Pick<OutboundGuard, 'check'>;
}

const QUOTAS_TTL_MS = 10 * 60_000;
const UPSTREAM_CALL_MS = 20_000;

function sealSecrets(box: SecretBox, secrets: EndpointSecrets): string | null {
  return Object.keys(secrets).length > 0 ? box.seal(JSON.stringify(secrets)) : null;
}

export function createEndpointsService(deps: EndpointsServiceDeps) {
  const { repo, box } = deps;
  const quotasCache = new Map<string, { updatedAt: number; expires: number; view: EndpointQuotasView }>();

  const secretsOf = (row: EndpointRow): EndpointSecrets => (row.credentials ? (JSON.parse(box.open(row.credentials)) as EndpointSecrets) : {});

  async function rowOf(id: string): Promise<EndpointRow> {
    const row = await repo.findById(id);
    if (!row) throw new ApiError('not_found', `no endpoint with id ${id}`);
    return row;
  }

  /** The unique name decides races; this only turns the database's refusal into a clear message. */
  async function withUniqueName<T>(name: string | undefined, id: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (name !== undefined && (await repo.list()).some((e) => e.name === name && e.id !== id)) throw new ApiError('conflict', `an endpoint named ${name} already exists`);
      throw error;
    }
  }

  /** Runs `use` on the live client, or on a throwaway one (disabled endpoints) closed afterwards. */
  async function withUpstream<T>(row: EndpointRow, use: (upstream: Upstream, signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(UPSTREAM_CALL_MS);
    const live = deps.liveUpstream(row.id);
    if (live) return use(live, signal);
    const temporary = await deps.createUpstream(JSON.parse(row.config) as EndpointConfig, secretsOf(row));
    try {
      return await use(temporary, signal);
    } finally {
      await temporary.close().catch(() => undefined);
    }
  }

  /** The admin's URL of an endpoint, if any (the default ones are AWS's and Anthropic's). */
  async function checkUrl(config: EndpointConfig): Promise<void> {
    if (config.kind === 'anthropic' && config.baseUrl) await deps.outbound.check('base_url', config.baseUrl);
    if (config.kind === 'bedrock' && config.endpointUrl) await deps.outbound.check('endpoint_url', config.endpointUrl);
  }

  async function routingNames(teamIds: string[]): Promise<string> {
    const names = await deps.teamNames(teamIds.filter((id) => id !== ''));
    const labels = teamIds.filter((id) => id !== '').map((id) => `team ${names.get(id) ?? id}`);
    if (teamIds.includes('')) labels.push('the default routing');
    return labels.join(', ');
  }

  const service = {
    async list(): Promise<EndpointView[]> {
      return (await repo.list()).map(presentEndpoint);
    },

    async get(id: string): Promise<EndpointView> {
      return presentEndpoint(await rowOf(id));
    },

    async create(input: EndpointInput): Promise<EndpointView> {
      const { config, secrets } = splitInput(input);
      await checkUrl(config);
      const now = Date.now();
      const first = (await repo.count()) === 0;
      const enabled = input.enabled !== false;
      if (input.is_default && !enabled) throw new ApiError('invalid_request', 'is_default: a disabled endpoint cannot be the default');
      const row: EndpointRow = {
        id: randomUUID(),
        name: input.name,
        kind: input.kind,
        config: JSON.stringify(config),
        credentials: sealSecrets(box, secrets),
        // The first endpoint serves traffic without a second step.
        is_default: enabled && (input.is_default || first) ? 1 : 0,
        enabled: enabled ? 1 : 0,
        priority: input.priority ?? 100,
        created_at: now,
        updated_at: now,
      };
      await withUniqueName(input.name, undefined, () => repo.insert(row));
      await deps.onChange();
      return presentEndpoint(row);
    },

    /**
     * Edits an endpoint. A disabled endpoint cannot be the default: disabling the default also
     * clears the flag (traffic without a routing then goes to the next enabled endpoint by priority).
     */
    async update(id: string, patch: EndpointPatch): Promise<EndpointView> {
      const row = await rowOf(id);
      const secrets = secretsOf(row);
      const next = applyPatch(JSON.parse(row.config) as EndpointConfig, secrets, patch);
      await checkUrl(next.config);
      const enabled = patch.enabled ?? row.enabled === 1;
      if (patch.is_default === true && !enabled) throw new ApiError('invalid_request', 'is_default: a disabled endpoint cannot be the default; enable it too');
      const changes: EndpointChanges = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
        enabled: enabled ? 1 : 0,
        is_default: enabled && (patch.is_default ?? row.is_default === 1) ? 1 : 0,
        config: JSON.stringify(next.config),
        // Resealed only when a secret changed: an edit of the name keeps the ciphertext as it is.
        ...(JSON.stringify(next.secrets) !== JSON.stringify(secrets) ? { credentials: sealSecrets(box, next.secrets) } : {}),
      };
      const updated = await withUniqueName(patch.name, id, () => repo.update(id, changes));
      if (!updated) throw new ApiError('not_found', `no endpoint with id ${id}`);
      await deps.onChange();
      return presentEndpoint(updated);
    },

    /** Makes the endpoint the default; the previous default stops being one in the same transaction. */
    async setDefault(id: string): Promise<EndpointView> {
      const row = await rowOf(id);
      if (row.enabled !== 1) throw new ApiError('invalid_request', `endpoint ${row.name} is disabled; a disabled endpoint cannot be the default`);
      const updated = await repo.update(id, { is_default: 1 });
      if (!updated) throw new ApiError('not_found', `no endpoint with id ${id}`);
      await deps.onChange();
      return presentEndpoint(updated);
    },

    /**
     * Deletes, unless a routing lists the endpoint (409 naming them), or it is the default while
     * other enabled endpoints exist (409: choose the next default first, rather than letting
     * traffic move to whichever endpoint has the best priority without anyone deciding it).
     */
    async remove(id: string): Promise<void> {
      const row = await rowOf(id);
      if (row.is_default === 1 && (await repo.list()).some((other) => other.id !== id && other.enabled === 1)) {
        throw new ApiError('conflict', `endpoint ${row.name} is the default endpoint; make another endpoint the default first`);
      }
      const outcome = await repo.remove(id);
      if (!outcome.removed && outcome.reason === 'not_found') throw new ApiError('not_found', `no endpoint with id ${id}`);
      if (!outcome.removed && outcome.reason === 'routed') {
        throw new ApiError('conflict', `endpoint ${row.name} is used by the routing of ${await routingNames(outcome.teamIds)}; remove it from those routings first`);
      }
      quotasCache.delete(id);
      await deps.onChange();
    },

    /** Tests a saved endpoint with a fresh client, so stale cached credentials cannot hide a problem. */
    async check(id: string): Promise<EndpointCheckReport> {
      const row = await rowOf(id);
      return checkEndpoint(JSON.parse(row.config) as EndpointConfig, secretsOf(row), { createUpstream: deps.createUpstream, timeoutMs: deps.checkTimeoutMs });
    },

    /** Tests a create body without saving it (the portal's "Test connection" before "Add"). */
    async checkUnsaved(input: EndpointInput): Promise<EndpointCheckReport> {
      const { config, secrets } = splitInput(input);
      await checkUrl(config);
      return checkEndpoint(config, secrets, { createUpstream: deps.createUpstream, timeoutMs: deps.checkTimeoutMs });
    },

    async models(id: string): Promise<ModelInfo[]> {
      const row = await rowOf(id);
      const config = JSON.parse(row.config) as EndpointConfig;
      try {
        return await withUpstream(row, (upstream, signal) => upstream.listModels(signal));
      } catch (error) {
        throw new ApiError('upstream_unreachable', `the models of endpoint ${row.name} could not be listed: ${redactSecrets(classifyProbeFailure(config, error).detail, secretsOf(row))}`);
      }
    },

    /** Bedrock service quotas for Claude; 200 with `unavailable` when there are none to show. */
    async quotas(id: string): Promise<EndpointQuotasView> {
      const row = await rowOf(id);
      const now = Date.now();
      if (row.kind !== 'bedrock') {
        return { data: [], fetched_at: new Date(now).toISOString(), unavailable: 'service quotas apply to Amazon Bedrock endpoints; the Anthropic API reports its limits in rate-limit headers' };
      }
      const cached = quotasCache.get(id);
      if (cached && cached.updatedAt === row.updated_at && cached.expires > now) return cached.view;
      try {
        const data = await withUpstream(row, async (upstream, signal) => (upstream.quotas ? upstream.quotas(signal) : []));
        const view: EndpointQuotasView = { data, fetched_at: new Date(now).toISOString(), unavailable: null };
        // Edits change updated_at, so new credentials or a new region are read afresh.
        quotasCache.set(id, { updatedAt: row.updated_at, expires: now + (deps.quotasTtlMs ?? QUOTAS_TTL_MS), view });
        return view;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { data: [], fetched_at: new Date(now).toISOString(), unavailable: redactSecrets(reason, secretsOf(row)) };
      }
    },

    /** Decrypted secrets, for building the upstream client only. */
    secretsOf,
  };
  return service;
}

export type EndpointsService = ReturnType<typeof createEndpointsService>;

/**
 * First run: an empty endpoint table plus ANTHROPIC_API_KEY or AWS_REGION in the environment
 * creates the default endpoint, so `serve` works with nothing else.
 */
export async function bootstrapEndpointFromEnv(repo: EndpointsRepo, service: EndpointsService, settings: Settings): Promise<EndpointView | undefined> {
  if ((await repo.count()) > 0) return undefined;
  if (settings.anthropicApiKey) {
    return service.create({
      kind: 'anthropic',
      name: 'anthropic',
      api_key: settings.anthropicApiKey,
      is_default: true,
      ...(settings.anthropicUpstreamUrl ? { base_url: settings.anthropicUpstreamUrl } : {}),
    });
  }
  if (settings.awsRegion) {
    return service.create({
      kind: 'bedrock',
      name: `bedrock-${settings.awsRegion}`,
      region: settings.awsRegion,
      // AWS_ACCESS_KEY_ID / AWS_PROFILE / instance roles are the default chain's links; resolving
      // them live keeps rotation working instead of freezing today's keys into the database.
      auth: 'default',
      is_default: true,
      ...(settings.bedrockEndpointUrl ? { endpoint_url: settings.bedrockEndpointUrl } : {}),
    });
  }
  return undefined;
}
