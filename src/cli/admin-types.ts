/**
 * The admin REST API's request and response bodies as the CLI uses them (base `<gateway>/admin`).
 * Field names are the wire names, so `--json` output is exactly what the API returned.
 */

export interface AdminUser {
  id: string;
  email: string;
  role: 'admin' | 'member' | string;
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: AdminUser;
}

export type KeyStatus = 'active' | 'revoked' | 'expired';

export interface KeyRecord {
  id: string;
  prefix: string;
  name: string | null;
  user_id: string;
  user_email: string;
  team_id: string | null;
  status: KeyStatus;
  expires_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** Only the creation answer carries the full key; it is never retrievable again. */
export interface CreatedKey extends KeyRecord {
  key: string;
}

export interface CreateKeyInput {
  user_email: string;
  name?: string;
  expires_at?: string;
}

export interface ListKeysQuery {
  userEmail?: string;
  includeRevoked?: boolean;
}

export type EndpointKind = 'anthropic' | 'bedrock';

export interface EndpointRecord {
  id: string;
  name: string;
  kind: EndpointKind;
  /** Non-secret configuration: region, routing prefix, base URL, auth mode, role ARN... */
  config: Record<string, unknown>;
  has_credentials: boolean;
  is_default: boolean;
  enabled: boolean;
  priority: number;
  created_at: string;
  updated_at: string;
}

export type BedrockAuth = 'default' | 'static' | 'assume_role';

export interface CreateAnthropicEndpoint {
  kind: 'anthropic';
  name: string;
  base_url?: string;
  api_key: string;
  is_default?: boolean;
}

export interface CreateBedrockEndpoint {
  kind: 'bedrock';
  name: string;
  region: string;
  auth: BedrockAuth;
  access_key_id?: string;
  secret_access_key?: string;
  session_token?: string;
  role_arn?: string;
  external_id?: string;
  endpoint_url?: string;
  routing_prefix?: string;
  is_default?: boolean;
}

export type CreateEndpointInput = CreateAnthropicEndpoint | CreateBedrockEndpoint;

/** USD per million tokens; null where the model has no such price. */
export interface PricingRow {
  model_prefix: string;
  input: number | null;
  output: number | null;
  cache_read: number | null;
  cache_write_5m: number | null;
  cache_write_1h: number | null;
  /** Above this many input tokens the tier_* prices apply (long-context pricing). */
  tier_threshold: number | null;
  tier_input: number | null;
  tier_output: number | null;
  tier_cache_read: number | null;
  tier_cache_write_5m: number | null;
  tier_cache_write_1h: number | null;
  source: 'seed' | 'aws' | 'manual' | string;
  note: string | null;
  /** ISO per the API contract; epoch milliseconds from some gateway versions. */
  updated_at: string | number;
}

/** Replaces the whole row: a price left out is stored as null (no such price). */
export interface SetPricingInput {
  input: number;
  output: number;
  cache_read?: number;
  cache_write_5m?: number;
  cache_write_1h?: number;
  tier_threshold?: number;
  tier_input?: number;
  tier_output?: number;
  tier_cache_read?: number;
  tier_cache_write_5m?: number;
  tier_cache_write_1h?: number;
  note?: string;
}
