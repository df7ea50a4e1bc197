/**
 * What an admin may send to create or edit an endpoint, and how it becomes the stored config
 * (plain) and secrets (sealed). Pure: no storage, no network.
 */
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { BedrockEndpointConfig, EndpointConfig, EndpointSecrets } from '../upstreams/types.js';

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ROUTING_PREFIX = /^[a-z]+(-[a-z]+)?$/;
/** An Anthropic model id, with or without its date: claude-sonnet-4-5, claude-sonnet-4-5-20250929. */
const MODEL_ID = /^claude-[a-z0-9][a-z0-9.-]*$/;
/** arn:<partition>:bedrock:<region>:<account>:application-inference-profile/<id> */
const PROFILE_ARN = /^arn:aws(?:-[a-z]+)*:bedrock:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):application-inference-profile\/[a-z0-9]+$/;

const region = z.string().regex(REGION, 'must be an AWS region such as us-east-1');
const routingPrefix = z.string().regex(ROUTING_PREFIX, 'must be an inference profile prefix such as us, eu, apac, global or us-gov');
const auth = z.enum(['default', 'static', 'assume_role']);
/** Model → application inference profile ARN; the region is checked against the endpoint's. */
const inferenceProfiles = z.record(
  z.string().regex(MODEL_ID, 'must be an Anthropic model id such as claude-sonnet-4-5'),
  z.string().regex(PROFILE_ARN, 'must be an application inference profile ARN: arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>'),
);

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
      region,
      auth: auth.default('default'),
      access_key_id: z.string().min(1).optional(),
      secret_access_key: z.string().min(1).optional(),
      session_token: z.string().min(1).optional(),
      role_arn: z.string().startsWith('arn:').optional(),
      external_id: z.string().min(1).optional(),
      endpoint_url: z.url().optional(),
      routing_prefix: routingPrefix.optional(),
      inference_profiles: inferenceProfiles.optional(),
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

/**
 * PATCH /admin/endpoints/:id. Absent = keep; for optional settings null = remove. Secrets are
 * write-only: present replaces the stored value, absent keeps it. `inference_profiles` replaces
 * the whole map. `kind` may be repeated (a form sends it back) but never changed.
 */
export const endpointPatchSchema = z
  .object({
    kind: z.enum(['anthropic', 'bedrock']).optional(),
    ...common,
    name: common.name.optional(),
    base_url: z.url().nullable().optional(),
    api_key: z.string().min(1).optional(),
    region: region.optional(),
    auth: auth.optional(),
    access_key_id: z.string().min(1).optional(),
    secret_access_key: z.string().min(1).optional(),
    session_token: z.string().min(1).nullable().optional(),
    role_arn: z.string().startsWith('arn:').nullable().optional(),
    external_id: z.string().min(1).nullable().optional(),
    endpoint_url: z.url().nullable().optional(),
    routing_prefix: routingPrefix.nullable().optional(),
    inference_profiles: inferenceProfiles.nullable().optional(),
  })
  .strict();

export type EndpointPatch = z.infer<typeof endpointPatchSchema>;
export type EndpointPatchBody = z.input<typeof endpointPatchSchema>;

const BEDROCK_ONLY = ['region', 'auth', 'access_key_id', 'secret_access_key', 'session_token', 'role_arn', 'external_id', 'endpoint_url', 'routing_prefix', 'inference_profiles'] as const;
const ANTHROPIC_ONLY = ['base_url', 'api_key'] as const;

/** Settings whose absence is meaningful are left out rather than stored as undefined. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** A create body as stored: non-secret config and the secrets to seal. */
export function splitInput(input: EndpointInput): { config: EndpointConfig; secrets: EndpointSecrets } {
  if (input.kind === 'anthropic') return { config: defined({ kind: 'anthropic', baseUrl: input.base_url }), secrets: { apiKey: input.api_key } };
  const config: BedrockEndpointConfig = defined({
    kind: 'bedrock',
    region: input.region,
    auth: input.auth,
    roleArn: input.role_arn,
    endpointUrl: input.endpoint_url,
    routingPrefix: input.routing_prefix,
    inferenceProfiles: input.inference_profiles && Object.keys(input.inference_profiles).length > 0 ? input.inference_profiles : undefined,
  });
  const secrets: EndpointSecrets = defined({
    accessKeyId: input.access_key_id,
    secretAccessKey: input.secret_access_key,
    sessionToken: input.session_token,
    externalId: input.external_id,
  });
  assertBedrockConsistent(config, secrets);
  return { config, secrets };
}

/** Applies an edit to the stored config and secrets; the result is checked like a new endpoint. */
export function applyPatch(config: EndpointConfig, secrets: EndpointSecrets, patch: EndpointPatch): { config: EndpointConfig; secrets: EndpointSecrets } {
  if (patch.kind !== undefined && patch.kind !== config.kind) throw new ApiError('invalid_request', `kind: an endpoint's kind cannot change (this one is ${config.kind}); add a new endpoint instead`);
  const foreign = (config.kind === 'anthropic' ? BEDROCK_ONLY : ANTHROPIC_ONLY).filter((field) => patch[field] !== undefined);
  if (foreign.length > 0) throw new ApiError('invalid_request', foreign.map((field) => `${field}: does not apply to ${config.kind} endpoints`).join('; '));

  if (config.kind === 'anthropic') {
    const next: EndpointConfig = defined({ kind: 'anthropic', baseUrl: patch.base_url === undefined ? config.baseUrl : (patch.base_url ?? undefined) });
    return { config: next, secrets: patch.api_key ? { ...secrets, apiKey: patch.api_key } : secrets };
  }
  const keep = <T>(value: T | null | undefined, current: T | undefined) => (value === undefined ? current : (value ?? undefined));
  const profiles = keep(patch.inference_profiles, config.inferenceProfiles);
  const next: BedrockEndpointConfig = defined({
    kind: 'bedrock',
    region: patch.region ?? config.region,
    auth: patch.auth ?? config.auth,
    roleArn: keep(patch.role_arn, config.roleArn),
    endpointUrl: keep(patch.endpoint_url, config.endpointUrl),
    routingPrefix: keep(patch.routing_prefix, config.routingPrefix),
    inferenceProfiles: profiles && Object.keys(profiles).length > 0 ? profiles : undefined,
  });
  const nextSecrets: EndpointSecrets = defined({
    ...secrets,
    accessKeyId: patch.access_key_id ?? secrets.accessKeyId,
    secretAccessKey: patch.secret_access_key ?? secrets.secretAccessKey,
    sessionToken: keep(patch.session_token, secrets.sessionToken),
    externalId: keep(patch.external_id, secrets.externalId),
  });
  assertBedrockConsistent(next, nextSecrets);
  return { config: next, secrets: nextSecrets };
}

/** The rules that span fields, on the merged result, so an edit cannot leave an unusable endpoint. */
export function assertBedrockConsistent(config: EndpointConfig, secrets: EndpointSecrets): void {
  if (config.kind !== 'bedrock') return;
  const problems: string[] = [];
  if (config.auth === 'static' && !(secrets.accessKeyId && secrets.secretAccessKey)) problems.push('auth: static auth needs access_key_id and secret_access_key');
  if (config.auth === 'assume_role' && !config.roleArn) problems.push('role_arn: assume_role auth needs role_arn');
  // An external id only means something to STS AssumeRole; elsewhere it would be silently ignored.
  if (secrets.externalId && config.auth !== 'assume_role') problems.push('external_id: only applies to assume_role auth');
  for (const [model, arn] of Object.entries(config.inferenceProfiles ?? {})) {
    const arnRegion = PROFILE_ARN.exec(arn)?.[1];
    if (arnRegion !== config.region) problems.push(`inference_profiles.${model}: the profile is in ${arnRegion ?? 'an unknown region'}, the endpoint in ${config.region}`);
  }
  if (problems.length > 0) throw new ApiError('invalid_request', problems.join('; '));
}
