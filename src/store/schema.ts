/**
 * Table types for Kysely. Times are epoch milliseconds and money is integer micro-dollars in
 * every table, so one set of queries runs unchanged on SQLite and PostgreSQL; booleans are 0/1.
 * Each area owns its tables and is the only one to query them.
 */

export interface UsersTable {
  id: string;
  email: string;
  display_name: string | null;
  role: 'admin' | 'member';
  status: 'active' | 'deactivated';
  team_id: string | null;
  password_hash: string | null;
  created_at: number;
  updated_at: number;
  /** Set when the user was deleted: the row stays as a tombstone so keys and spend keep their owner. */
  deleted_at: number | null;
}

export interface TeamsTable {
  id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface ApiKeysTable {
  id: string;
  key_hash: string;
  prefix: string;
  name: string | null;
  user_id: string;
  team_id: string | null;
  status: 'active' | 'revoked';
  expires_at: number | null;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** Admin API keys (`ccag-admin-...`): the admin API's long-lived bearers, stored as SHA-256. */
export interface AdminApiKeysTable {
  id: string;
  key_hash: string;
  prefix: string;
  name: string;
  owner_id: string;
  status: 'active' | 'revoked';
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface EndpointsTable {
  id: string;
  name: string;
  kind: 'anthropic' | 'bedrock';
  /** JSON of the non-secret settings (base URL, region, role ARN, endpoint URL, ...). */
  config: string;
  /** AES-256-GCM box of the secret settings (API key, static AWS keys, external id), or null. */
  credentials: string | null;
  is_default: number;
  enabled: number;
  priority: number;
  created_at: number;
  updated_at: number;
}

export interface PricingTable {
  model_prefix: string;
  /** Prices in micro-dollars per million tokens (= dollars per token × 10^12 / 10^6). */
  input: number | null;
  output: number | null;
  cache_read: number | null;
  cache_write_5m: number | null;
  cache_write_1h: number | null;
  /** Optional tier: when the prompt exceeds this many tokens every token uses the tier prices. */
  tier_threshold: number | null;
  tier_input: number | null;
  tier_output: number | null;
  tier_cache_read: number | null;
  tier_cache_write_5m: number | null;
  tier_cache_write_1h: number | null;
  source: 'seed' | 'aws' | 'manual';
  note: string | null;
  updated_at: number;
}

export interface SpendLedgerTable {
  request_id: string;
  created_at: number;
  key_id: string | null;
  key_prefix: string | null;
  user_id: string | null;
  team_id: string | null;
  endpoint_id: string | null;
  model: string;
  upstream_model: string | null;
  streaming: number;
  status: number;
  stop_reason: string | null;
  error_type: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cost_micros: number;
  /** 'priced' | 'unknown_model' | 'partial_price' (a token class had no price). */
  pricing_status: string;
  /** 1 when output tokens were estimated from streamed content (aborted before the final usage). */
  usage_estimated: number;
  duration_ms: number;
  ttft_ms: number | null;
  session_id: string | null;
  tool_names: string | null;
  web_searches: number;
  upstream_request_id: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface Database {
  users: UsersTable;
  teams: TeamsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  admin_api_keys: AdminApiKeysTable;
  endpoints: EndpointsTable;
  pricing: PricingTable;
  spend_ledger: SpendLedgerTable;
  settings: SettingsTable;
}

