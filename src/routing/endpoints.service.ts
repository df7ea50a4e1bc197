/**
 * Endpoints (upstreams) as stored: validated input, credentials sealed with the master key, and
 * a presenter that never lets a secret out.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SecretBox } from '../config/secret-box.js';
import type { Settings } from '../config/settings.js';
import { ApiError } from '../errors.js';
import type { EndpointConfig, EndpointSecrets } from '../upstreams/types.js';
import type { EndpointRow, EndpointsRepo } from './endpoints.repo.js';

const common = {
  name: z.string().trim().min(1).max(100),
  is_default: z.boolean().optional(),
  enabled: z.boolean().optional(),
  priority: z.number().int().min(0).max(1_000_000).optional(),
};

export const endpointInputSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('anthropic'), base_url: z.url().optional(), api_key: z.string().min(1) }).strict(),
  z
    .object({
      ...common,
      kind: z.literal('bedrock'),
      region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1'),
      auth: z.enum(['default', 'static', 'assume_role']).default('default'),
      access_key_id: z.string().min(1).optional(),
      secret_access_key: z.string().min(1).optional(),
      session_token: z.string().min(1).optional(),
      role_arn: z.string().startsWith('arn:').optional(),
      external_id: z.string().min(1).optional(),
      endpoint_url: z.url().optional(),
      routing_prefix: z.string().regex(/^[a-z]+(-[a-z]+)?$/, 'must be an inference profile prefix such as us, eu, apac, global or us-gov').optional(),
    })
    .strict()
    .superRefine((input, ctx) => {
      if (input.auth === 'static' && !(input.access_key_id && input.secret_access_key)) {
        ctx.addIssue({ code: 'custom', message: 'static auth needs access_key_id and secret_access_key', path: ['auth'] });
      }
      if (input.auth === 'assume_role' && !input.role_arn) {
        ctx.addIssue({ code: 'custom', message: 'assume_role auth needs role_arn', path: ['role_arn'] });
      }
    }),
]);

export type EndpointInput = z.infer<typeof endpointInputSchema>;
/** The request body of POST /admin/endpoints, before defaults (shared with the CLI). */
export type EndpointInputBody = z.input<typeof endpointInputSchema>;

/** Non-secret settings as the admin API shows them (snake_case like every other field). */
export interface EndpointConfigView {
  base_url?: string;
  region?: string;
  auth?: string;
  role_arn?: string;
  endpoint_url?: string;
  routing_prefix?: string;
}

export interface EndpointView {
  id: string;
  name: string;
  kind: 'anthropic' | 'bedrock';
  config: EndpointConfigView;
  has_credentials: boolean;
  is_default: boolean;
  enabled: boolean;
  priority: number;
  created_at: string;
  updated_at: string;
}

function presentConfig(config: EndpointConfig): EndpointConfigView {
  if (config.kind === 'anthropic') return { base_url: config.baseUrl ?? 'https://api.anthropic.com' };
  return {
    region: config.region,
    auth: config.auth,
    ...(config.roleArn ? { role_arn: config.roleArn } : {}),
    ...(config.endpointUrl ? { endpoint_url: config.endpointUrl } : {}),
    ...(config.routingPrefix ? { routing_prefix: config.routingPrefix } : {}),
  };
}

export function presentEndpoint(row: EndpointRow): EndpointView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    config: presentConfig(JSON.parse(row.config) as EndpointConfig),
    has_credentials: row.credentials !== null,
    is_default: row.is_default === 1,
    enabled: row.enabled === 1,
    priority: row.priority,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

function split(input: EndpointInput): { config: EndpointConfig; secrets: EndpointSecrets } {
  if (input.kind === 'anthropic') {
    return { config: { kind: 'anthropic', ...(input.base_url ? { baseUrl: input.base_url } : {}) }, secrets: { apiKey: input.api_key } };
  }
  const config: EndpointConfig = {
    kind: 'bedrock',
    region: input.region,
    auth: input.auth,
    ...(input.role_arn ? { roleArn: input.role_arn } : {}),
    ...(input.endpoint_url ? { endpointUrl: input.endpoint_url } : {}),
    ...(input.routing_prefix ? { routingPrefix: input.routing_prefix } : {}),
  };
  const secrets: EndpointSecrets = {
    ...(input.access_key_id ? { accessKeyId: input.access_key_id } : {}),
    ...(input.secret_access_key ? { secretAccessKey: input.secret_access_key } : {}),
    ...(input.session_token ? { sessionToken: input.session_token } : {}),
    ...(input.external_id ? { externalId: input.external_id } : {}),
  };
  return { config, secrets };
}

export function createEndpointsService(deps: { repo: EndpointsRepo; box: SecretBox; onChange: () => Promise<void> }) {
  const { repo, box } = deps;
  return {
    async list(): Promise<EndpointView[]> {
      return (await repo.list()).map(presentEndpoint);
    },

    async create(input: EndpointInput): Promise<EndpointView> {
      const { config, secrets } = split(input);
      const now = Date.now();
      const first = (await repo.count()) === 0;
      const row: EndpointRow = {
        id: randomUUID(),
        name: input.name,
        kind: input.kind,
        config: JSON.stringify(config),
        credentials: Object.keys(secrets).length > 0 ? box.seal(JSON.stringify(secrets)) : null,
        // The first endpoint serves traffic without a second step.
        is_default: input.is_default || first ? 1 : 0,
        enabled: input.enabled === false ? 0 : 1,
        priority: input.priority ?? 100,
        created_at: now,
        updated_at: now,
      };
      try {
        await repo.insert(row);
      } catch (error) {
        if ((await repo.list()).some((e) => e.name === input.name)) throw new ApiError('conflict', `an endpoint named ${input.name} already exists`);
        throw error;
      }
      await deps.onChange();
      return presentEndpoint(row);
    },

    async remove(id: string): Promise<void> {
      if (!(await repo.remove(id))) throw new ApiError('not_found', `no endpoint with id ${id}`);
      await deps.onChange();
    },

    /** Decrypted secrets, for building the upstream client only. */
    secretsOf(row: EndpointRow): EndpointSecrets {
      return row.credentials ? (JSON.parse(box.open(row.credentials)) as EndpointSecrets) : {};
    },
  };
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
