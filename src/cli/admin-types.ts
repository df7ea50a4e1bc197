/**
 * The admin REST API's request and response bodies as the CLI uses them (base `<gateway>/admin`).
 * They are the server's own declared shapes, imported as types only (no server code is loaded),
 * so the CLI cannot drift from the API. Field names are the wire names, so `--json` output is
 * exactly what the API returned.
 */
import type { EndpointCheckReport } from '../routing/endpoint-check.js';
import type { EndpointPatchBody, EndpointQuotasView } from '../routing/endpoints.service.js';
import type { ModelInfo } from '../upstreams/types.js';
import type {
  AnalyticsHeatmapView,
  AnalyticsLatencyView,
  AnalyticsSummaryView,
  AnalyticsTimeseriesView,
  EndpointTrafficView,
  McpServerUsageView,
  ModelUsageView,
  TeamUsageView,
  ToolUsageView,
  UserUsageView,
} from '../admin/analytics.routes.js';
import type { AdminApiKeyView, CreateAdminApiKeyBody } from '../admin/admin-api-keys.routes.js';
import type { BudgetEventView } from '../admin/budget-events.routes.js';
import type { EndpointStatsRow, EndpointStatsView } from '../admin/endpoint-stats.routes.js';
import type { BudgetView, SetBudgetBody } from '../admin/budgets.routes.js';
import type { MyBudgetView } from '../admin/me-budgets.routes.js';
import type { CreateIdpBody, IdpView, UpdateIdpBody } from '../admin/idps.routes.js';
import type { CreateKeyBody, KeyView } from '../admin/keys.routes.js';
import type { PriceResponse, SetPriceBody } from '../admin/pricing.routes.js';
import type { RateLimitOverrideResponse, RateLimitsResponse, SetRateLimitBody } from '../admin/rate-limits.routes.js';
import type { RoutingBody, RoutingOverviewView, RoutingView } from '../admin/routing.routes.js';
import type { CreatedScimTokenView, ScimStatusView } from '../admin/scim.routes.js';
import type { SettingsView, UpdateSettingsBody } from '../admin/settings.routes.js';
import type { SystemView } from '../admin/system.routes.js';
import type { TeamBody, TeamView } from '../admin/teams.routes.js';
import type { CreateUserBody, UpdateUserBody, UserView } from '../admin/users.routes.js';
import type { BudgetEventType } from '../limits/budgets/threshold-events.js';
import type { EndpointInputBody, EndpointView } from '../routing/endpoints.service.js';

export interface AdminUser {
  id: string;
  email: string;
  role: 'admin' | 'member';
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: AdminUser;
}

export type KeyRecord = KeyView;
export type KeyStatus = KeyRecord['status'];

/** Only the creation answer carries the full key; it is never retrievable again. */
export interface CreatedKey extends KeyRecord {
  key: string;
}

export type CreateKeyInput = CreateKeyBody;

export interface ListKeysQuery {
  userEmail?: string;
  includeRevoked?: boolean;
}

export type EndpointRecord = EndpointView;
export type EndpointKind = EndpointRecord['kind'];
export type CreateEndpointInput = EndpointInputBody;
export type CreateAnthropicEndpoint = Extract<CreateEndpointInput, { kind: 'anthropic' }>;
export type CreateBedrockEndpoint = Extract<CreateEndpointInput, { kind: 'bedrock' }>;
export type BedrockAuth = NonNullable<CreateBedrockEndpoint['auth']>;

/** USD per million tokens; null where the model has no such price. */
export type PricingRow = PriceResponse;
/** A price left out keeps its current value. */
export type SetPricingInput = SetPriceBody;

export type RateLimitsRecord = RateLimitsResponse;
export type RateLimitOverrideRecord = RateLimitOverrideResponse;
export type SetRateLimitInput = SetRateLimitBody;
export type RateLimitScope = 'key' | 'user' | 'team';

export type BudgetRecord = BudgetView;
export type SetBudgetInput = SetBudgetBody;
export type BudgetSubjectType = BudgetRecord['subject_type'];

/** A budget threshold crossed, with the names of its subject, user and team. */
export type BudgetEventRecord = BudgetEventView;
/** A budget that applies to the caller, with where it stands (GET /admin/me/budgets). */
export type MyBudgetRecord = MyBudgetView;
export type { BudgetEventType };

export interface ListBudgetEventsQuery {
  from?: Date;
  to?: Date;
  eventType?: BudgetEventType;
  subjectType?: BudgetEventRecord['subject_type'];
  /** A piece of the subject's email, team name or key prefix. */
  subject?: string;
}

export type UserRecord = UserView;
export type UserRole = UserRecord['role'];
export type UserStatus = UserRecord['status'];
export type CreateUserInput = CreateUserBody;
export type UpdateUserInput = UpdateUserBody;

export interface ListUsersQuery {
  teamId?: string;
  status?: UserStatus;
}

export type TeamRecord = TeamView;
export type TeamInput = TeamBody;

export type AdminKeyRecord = AdminApiKeyView;
export type CreateAdminKeyInput = CreateAdminApiKeyBody;

/** Only the creation answer carries the full admin API key; it is never retrievable again. */
export interface CreatedAdminKey extends AdminKeyRecord {
  key: string;
}

/** Each runtime setting with its value, environment default and where the value comes from. */
export type SettingsRecord = SettingsView;
export type SettingName = keyof SettingsRecord;
/** A setting left out keeps its value; null puts it back to its default. */
export type UpdateSettingsInput = UpdateSettingsBody;

export type IdpRecord = IdpView;
export type CreateIdpInput = CreateIdpBody;
/** A field left out keeps its value; `client_secret: null` makes the client public. */
export type UpdateIdpInput = UpdateIdpBody;

/** An IdP's SCIM settings: base URL, tokens (prefixes only), group mappings, what was provisioned. */
export type ScimStatusRecord = ScimStatusView;
/** Only the creation answer carries the full SCIM token; it is never retrievable again. */
export type CreatedScimToken = CreatedScimTokenView;

/** The gateway at a glance: version, health, database and Redis, endpoints, sign-in methods. */
export type SystemRecord = SystemView;

/** The analytics API's answers (GET /admin/analytics/*). */
export type AnalyticsSummary = AnalyticsSummaryView;
export type AnalyticsTimeseries = AnalyticsTimeseriesView;
export type AnalyticsLatency = AnalyticsLatencyView;
export type AnalyticsHeatmap = AnalyticsHeatmapView;
export type ModelUsageRow = ModelUsageView;
export type ToolUsageRow = ToolUsageView;
export type McpServerUsageRow = McpServerUsageView;
export type UserUsageRow = UserUsageView;
export type TeamUsageRow = TeamUsageView;
export type EndpointTrafficRow = EndpointTrafficView;

/** Per endpoint over a range: traffic, pool events and cache hit rate (GET /admin/endpoints/stats). */
export type EndpointStats = EndpointStatsView;
export type EndpointStatsRecord = EndpointStatsRow;
export type EndpointStatsRange = '24h' | '7d' | '30d';

/** Where an endpoint stands in this replica's pool. */
export type EndpointState = 'healthy' | 'cooling' | 'probing' | 'unhealthy' | 'disabled';

/** One endpoint of GET /admin/endpoints/health (design contract; in memory, the answering replica). */
export interface EndpointHealthRecord {
  id: string;
  name: string;
  kind: 'anthropic' | 'bedrock';
  enabled: boolean;
  state: EndpointState;
  cooling_until: string | null;
  consecutive_throttles: number;
  in_flight: number;
  /** Window ('5h', '7d', 'requests', ...) → used share, 0..1. */
  utilization: Record<string, number>;
  last_check_at: string | null;
  last_error: string | null;
}

/** Team routing (GET /admin/routing, PUT /admin/teams/:id/routing, PUT /admin/routing/default). */
export type RoutingOverviewRecord = RoutingOverviewView;
export type RoutingRecord = RoutingView;
export type SetRoutingInput = RoutingBody;
/** PATCH /admin/endpoints/:id: a field left out keeps its value, null removes an optional one; secrets are write-only. */
export type UpdateEndpointInput = EndpointPatchBody;
/** POST /admin/endpoints/:id/validate and /admin/endpoints/validate: credentials, reachability, models. */
export type { EndpointCheckReport };
export type EndpointCheck = EndpointCheckReport['checks'][number];
/** GET /admin/endpoints/:id/models. */
export type EndpointModel = ModelInfo;
/** GET /admin/endpoints/:id/quotas: Bedrock service quotas for Claude, or why there are none. */
export type EndpointQuotas = EndpointQuotasView;
export type EndpointQuota = EndpointQuotas['data'][number];
/** POST /admin/pricing/refresh ("Refresh from AWS") and GET /admin/pricing/refresh (the last run, or null). */
export type { PricingRefreshResponse as PricingRefreshResult, PricingRefreshStatusResponse as PricingRefreshStatus } from '../admin/pricing.routes.js';

