/**
 * The one presenter of an endpoint: an explicit whitelist of fields, so no secret can reach an
 * admin response or the CLI. Credentials show only as `has_credentials`.
 */
import type { EndpointConfig } from '../upstreams/types.js';
import type { EndpointRow } from './endpoints.repo.js';

/** Non-secret settings as the admin API shows them (snake_case like every other field). */
export interface EndpointConfigView {
  base_url?: string;
  region?: string;
  auth?: string;
  role_arn?: string;
  endpoint_url?: string;
  routing_prefix?: string;
  /** Bedrock: Anthropic model id → application inference profile ARN ({} when none). */
  inference_profiles?: Record<string, string>;
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
    inference_profiles: { ...config.inferenceProfiles },
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
