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
  /** The identity provider the user last signed in through (or was provisioned by). */
  idp_id: string | null;
  /** Set when a SCIM client of this IdP provisioned the user: with SCIM on, only such users may sign in through it. */
  scim_idp_id: string | null;
  scim_external_id: string | null;
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

/** An OIDC identity provider. JSON columns hold arrays/objects; the client secret is sealed. */
export interface IdentityProvidersTable {
  id: string;
  /** Slug used in URLs (`/auth/oidc/{name}/login`) and the CLI. */
  name: string;
  display_name: string;
  issuer: string;
  client_id: string;
  /** AES-256-GCM box (src/config/secret-box.ts), or null for a public client. */
  client_secret: string | null;
  /** Expected `aud` of IdP-issued JWTs on the data plane; null means the client id. */
  audience: string | null;
  /** JSON string[]: scopes asked for at sign-in. */
  scopes: string;
  /** JSON string[]: claims tried in order for the user's email identity. */
  user_claims: string;
  /** JSON string[]: allowed email domains; empty allows any. */
  allowed_domains: string;
  auto_provision: number;
  default_role: 'admin' | 'member';
  groups_claim: string;
  /** JSON Record<group, team id>. */
  group_teams: string;
  /** JSON string[]: members of these groups get the admin role. */
  admin_groups: string;
  scim_enabled: number;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface ScimTokensTable {
  id: string;
  idp_id: string;
  token_hash: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface ScimGroupsTable {
  id: string;
  idp_id: string;
  display_name: string;
  external_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ScimGroupMembersTable {
  group_id: string;
  user_id: string;
}

/** RFC 8628 device authorizations. Only the device code's hash is stored; the user code is short-lived and shown to people. */
export interface OauthDeviceCodesTable {
  id: string;
  device_code_hash: string;
  user_code: string;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  user_id: string | null;
  client: string | null;
  interval_s: number;
  created_at: number;
  expires_at: number;
  last_polled_at: number | null;
}

/** One signed-in device: an access/refresh pair, rotated in place on refresh, stored as hashes. */
export interface OauthGrantsTable {
  id: string;
  user_id: string;
  client: string | null;
  access_hash: string;
  access_expires_at: number;
  refresh_hash: string;
  refresh_expires_at: number;
  /** The refresh token rotated away last; presenting it again revokes the grant (reuse detection). */
  previous_refresh_hash: string | null;
  created_at: number;
  /** Bumped on every change (rotation, revocation): what other replicas' token caches poll. */
  updated_at: number;
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
  /** Tools called in the response, one entry per call, comma-separated. */
  tool_names: string | null;
  /** Tools whose results the client reported as failed in this request (src/spend/tool-errors.ts). */
  tool_errors: string | null;
  web_searches: number;
  upstream_request_id: string | null;
  // Attribution (migration 0015, docs/attribution.md). Optional because rows journaled before
  // that migration lack them and replay must still insert those rows as they are.
  /** The Claude Code agent that sent the request (`x-claude-code-agent-id`); null for the main agent. */
  agent_id?: string | null;
  /** The agent that started this subagent (`x-claude-code-parent-agent-id`). */
  parent_agent_id?: string | null;
  /** The request's `tags.billing_group` value. */
  billing_group?: string | null;
}

/** A team's routing strategy; team_id '' is the default routing for users without a team. */
export interface TeamRoutingTable {
  team_id: string;
  strategy: 'sticky_user' | 'round_robin' | 'priority' | 'least_utilized';
  updated_at: number;
}

/** The endpoints a team routes to, in order (position 0 first). */
export interface TeamRoutingEndpointsTable {
  team_id: string;
  endpoint_id: string;
  position: number;
}

/** One health event of the endpoint pool, counted by the endpoint statistics. */
export interface EndpointEventsTable {
  id: string;
  endpoint_id: string;
  at: number;
  kind: 'throttle' | 'cooldown' | 'failover' | 'unhealthy' | 'recovered';
  reason: string | null;
  duration_ms: number | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

/** A budget (spec §4); soft-deleted so polling replicas see the removal. */
export interface BudgetsTable {
  id: string;
  subject_type: 'user' | 'team' | 'key' | 'team_default' | 'global_default';
  /** The user, team or key id; the team's id for team_default; '' for global_default. */
  subject_id: string;
  amount_micros: number;
  period: 'daily' | 'weekly' | 'monthly';
  time_zone: string;
  /** A preset name, or 'custom'. */
  policy: string;
  /** The threshold rules as JSON (the preset's, or the custom ones). */
  rules: string;
  /** 1: strict admission (a request's worst case must fit); 0: admitted while anything remains. */
  strict: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

/** A budget threshold crossed: one row per (subject, threshold, period), by a unique constraint. */
export interface BudgetEventsTable {
  id: string;
  subject_type: 'user' | 'team' | 'key';
  subject_id: string;
  threshold_percent: number;
  period_start: number;
  event_type: string;
  severity: string;
  user_id: string | null;
  team_id: string | null;
  /** JSON: threshold_percent, spend_usd, limit_usd, percent, period, period_start (spec §8). */
  detail: string;
  created_at: number;
}

/**
 * Usage summed per (UTC hour or day, user, team, model, endpoint), maintained in the ledger
 * insert's transaction (src/spend/rollups/). Absent ids are '' so the key is a primary key on
 * both dialects.
 */
export interface UsageRollupTable {
  bucket_start: number;
  user_id: string;
  team_id: string;
  model: string;
  endpoint_id: string;
  requests: number;
  /** Rows with an error_type. */
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cost_micros: number;
  duration_ms_sum: number;
  /** Time to first token of answered (status < 400) requests that had one. */
  ttft_ms_sum: number;
  ttft_count: number;
  web_searches: number;
}

/** How many requests fell into each log-spaced latency bin (src/spend/rollups/latency-bins.ts). */
export interface LatencyRollupTable {
  bucket_start: number;
  endpoint_id: string;
  model: string;
  metric: 'duration' | 'ttft';
  bin: number;
  count: number;
}

/**
 * The latency histograms again per team (and endpoint), for questions about one team: the key
 * starts with the team, so one team's buckets are one range. Only requests made for a team.
 */
export interface TeamLatencyRollupTable {
  team_id: string;
  bucket_start: number;
  endpoint_id: string;
  metric: 'duration' | 'ttft';
  bin: number;
  count: number;
}

/** Tool calls and reported tool failures per tool and user (team for the team filter). */
export interface ToolRollupTable {
  bucket_start: number;
  tool: string;
  user_id: string;
  team_id: string;
  calls: number;
  errors: number;
}

/** A notification destination (spec §8): the `draft` being configured and tested, or the `active` one. */
export interface NotificationDestinationsTable {
  slot: 'draft' | 'active';
  type: 'webhook' | 'sns' | 'eventbridge';
  name: string;
  /** JSON: url | topic_arn | event_bus_name, region, endpoint_url, auth, access_key_id, source. */
  config: string;
  /** The webhook signing secret or the AWS secret access key, sealed with the master key. */
  secret_sealed: string | null;
  /** JSON array of the categories delivered: budget, rate_limit. */
  categories: string;
  tested_at: number | null;
  test_ok: number | null;
  test_error: string | null;
  updated_at: number;
  updated_by: string | null;
}

/** The notifications outbox: one row per event, its body rendered at enqueue. */
export interface NotificationEventsTable {
  id: string;
  /** Unique: a budget event or a rate-limit window is enqueued once whichever replica sees it. */
  dedupe_key: string;
  /** The budget event's id, or null. */
  source_id: string | null;
  category: 'budget' | 'rate_limit';
  event_type: string;
  severity: string;
  body: string;
  status: 'pending' | 'delivered' | 'dead' | 'skipped';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** One delivery attempt (history): of an outbox event, or a test of the draft (event_id null). */
export interface NotificationDeliveriesTable {
  id: string;
  event_id: string | null;
  event_type: string;
  destination_type: string;
  test: number;
  attempt: number;
  attempted_at: number;
  status: 'delivered' | 'failed';
  duration_ms: number;
  http_status: number | null;
  error: string | null;
}

/** Who runs a singleton job (src/store/lease.ts) until when. */
export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface Database {
  users: UsersTable;
  teams: TeamsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  admin_api_keys: AdminApiKeysTable;
  identity_providers: IdentityProvidersTable;
  scim_tokens: ScimTokensTable;
  scim_groups: ScimGroupsTable;
  scim_group_members: ScimGroupMembersTable;
  oauth_device_codes: OauthDeviceCodesTable;
  oauth_grants: OauthGrantsTable;
  endpoints: EndpointsTable;
  pricing: PricingTable;
  spend_ledger: SpendLedgerTable;
  analytics_hourly: UsageRollupTable;
  analytics_daily: UsageRollupTable;
  analytics_latency_hourly: LatencyRollupTable;
  analytics_latency_daily: LatencyRollupTable;
  analytics_team_latency_hourly: TeamLatencyRollupTable;
  analytics_team_latency_daily: TeamLatencyRollupTable;
  analytics_tools_hourly: ToolRollupTable;
  analytics_tools_daily: ToolRollupTable;
  budgets: BudgetsTable;
  budget_events: BudgetEventsTable;
  settings: SettingsTable;
  team_routing: TeamRoutingTable;
  team_routing_endpoints: TeamRoutingEndpointsTable;
  endpoint_events: EndpointEventsTable;
  notification_destinations: NotificationDestinationsTable;
  notification_events: NotificationEventsTable;
  notification_deliveries: NotificationDeliveriesTable;
  leases: LeasesTable;
  web_search_providers: WebSearchProvidersTable;
  web_search_settings: WebSearchSettingsTable;
  policies: PoliciesTable;
  policy_settings: PolicySettingsTable;
  policy_session_checksums: PolicySessionChecksumsTable;
  sign_in_groups: SignInGroupsTable;
}

/** A web search provider: the gateway's own (`owner` = 'global') or a member's (their user id). */
export interface WebSearchProvidersTable {
  owner: string;
  type: 'tavily' | 'brave' | 'serper' | 'exa' | 'searxng' | 'custom';
  base_url: string | null;
  /** Sealed with the master key (src/config/secret-box.ts); never returned by the API. */
  api_key_sealed: string | null;
  max_results: number;
  updated_at: number;
}

/** The web search mode: one row, id 'global'. */
export interface WebSearchSettingsTable {
  id: string;
  mode: 'disabled' | 'global' | 'per_user';
  updated_at: number;
}

/** A fleet policy (src/policy/); list columns are JSON text. */
export interface PoliciesTable {
  id: string;
  name: string;
  position: number;
  match_everyone: number;
  match_teams: string;
  match_groups: string;
  match_domains: string;
  allowed_models: string | null;
  default_model: string | null;
  settings: string;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}

/** The deployment's policy resolution mode (one row, id 1; absent: first_match). */
export interface PolicySettingsTable {
  id: number;
  mode: 'first_match' | 'layered';
  updated_at: number;
  updated_by: string | null;
}

/** The managed-settings checksum each Claude Code session last reported (settings drift). */
export interface PolicySessionChecksumsTable {
  session_id: string;
  user_id: string;
  checksum: string | null;
  first_seen_at: number;
  last_seen_at: number;
}

/** A group the user's last OIDC sign-in through this IdP carried in its groups claim (migration 0017). */
export interface SignInGroupsTable {
  user_id: string;
  idp_id: string;
  group_name: string;
}
