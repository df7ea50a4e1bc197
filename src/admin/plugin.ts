/**
 * The admin REST API under /admin. Every route but login requires a bearer (a session token or an
 * admin API key, resolved by src/identity/admin-auth.ts) or the portal's session cookie (with its
 * CSRF header on writes), and the admin role, except the routes that
 * members may use (`config: { access: 'member' }`, see src/identity/access-policy.ts); errors
 * use the admin shape `{"error":{"code","message"}}` with codes from src/errors.ts. Lists follow
 * one set of conventions (paging, sorting, search): src/admin/list-query.ts.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import { ApiError } from '../errors.js';
import { ADMIN_API_KEY_PREFIX, type AdminApiKeysService } from '../identity/admin-api-keys.service.js';
import { assertRouteAccess, type RouteAccess } from '../identity/access-policy.js';
import type { AdminAuthenticator } from '../identity/admin-auth.js';
import type { KeysService } from '../identity/keys.service.js';
import type { ScimAdmin } from '../identity/scim/scim-admin.service.js';
import type { SessionsService, SessionUser } from '../identity/sessions.service.js';
import type { IdpsService } from '../identity/sso/idps.service.js';
import type { SubjectNamesRepo } from '../identity/subject-names.repo.js';
import type { TeamsService } from '../identity/teams.service.js';
import type { UsersService } from '../identity/users.service.js';
import type { BudgetEventsRepo } from '../limits/budgets/budget-events.repo.js';
import type { BudgetOverview } from '../limits/budgets/budget-overview.js';
import type { BudgetsService } from '../limits/budgets/budgets.service.js';
import type { RateLimitOverrides } from '../limits/rate-limits/overrides.service.js';
import type { EndpointEventsRepo } from '../routing/endpoint-events.repo.js';

import type { EndpointPool } from '../routing/endpoint-pool.js';
import type { EndpointsService } from '../routing/endpoints.service.js';
import type { TeamRoutingService } from '../routing/team-routing.service.js';
import type { AnalyticsService } from '../spend/analytics/analytics.service.js';
import type { AttributionReports } from '../spend/analytics/attribution-reports.js';
import type { PricingService } from '../spend/pricing.service.js';
import type { SystemStatus } from '../telemetry/system-status.js';
import type { AnthropicReconciliation } from '../telemetry/admin-api-collector/anthropic-reconciliation.js';
import { registerAdminApiKeyRoutes } from './admin-api-keys.routes.js';
import { registerAnalyticsRoutes } from './analytics.routes.js';
import { registerAttributionRoutes } from './attribution.routes.js';
import { registerAuthRoutes } from './auth.routes.js';
import { registerBudgetEventRoutes } from './budget-events.routes.js';
import { registerBudgetRoutes } from './budgets.routes.js';
import { registerEndpointStatsRoutes } from './endpoint-stats.routes.js';
import { registerEndpointRoutes } from './endpoints.routes.js';
import { registerIdpRoutes } from './idps.routes.js';
import { registerKeyRoutes } from './keys.routes.js';
import { registerMyBudgetRoutes } from './me-budgets.routes.js';
import { registerPricingRoutes } from './pricing.routes.js';
import { registerRateLimitRoutes } from './rate-limits.routes.js';
import { registerReconciliationRoutes } from './reconciliation.routes.js';
import { registerRoutingRoutes } from './routing.routes.js';
import { registerScimAdminRoutes } from './scim.routes.js';
import { registerSettingsRoutes } from './settings.routes.js';
import { registerSystemRoutes } from './system.routes.js';
import { registerTeamRoutes } from './teams.routes.js';
import { registerUserRoutes } from './users.routes.js';
import type { NotificationsAdmin } from '../notify/notifications-admin.js';
import { registerNotificationRoutes } from './notifications.routes.js';
import { registerMyWebSearchRoutes } from './me-web-search.routes.js';
import { registerWebSearchRoutes } from './web-search.routes.js';
import type { WebSearchService } from '../websearch/web-search.service.js';
import { registerPolicyRoutes } from './policies.routes.js';
import type { PolicyArea } from '../policy/policy.area.js';
import { bearerOf } from '../identity/authenticator.js';
import { sessionTokenOf } from '../identity/browser-session.js';
import { CSRF_HEADER, needsCsrfToken, type Csrf } from '../identity/csrf.js';
import { fromDatabaseOutage, fromFrameworkError } from '../http/error-mapping.js';
import { adminErrorBody, closeIfBodyUnread } from '../http/surface-errors.js';

export interface AdminDeps {
  readonly sessions: SessionsService;
  readonly adminAuth: AdminAuthenticator;
  readonly adminKeys: AdminApiKeysService;
  readonly keys: KeysService;
  readonly users: UsersService;
  readonly teams: TeamsService;
  readonly endpoints: EndpointsService;
  /** Throttles, cooldowns and failovers per endpoint, for the endpoint statistics. */
  readonly endpointEvents: Pick<EndpointEventsRepo, 'countsBetween'>;
  /** The live pool: each endpoint's health on this replica. */
  readonly pool: Pick<EndpointPool, 'health'>;
  /** Team routing and the default routing (GET /admin/routing, PUT/DELETE /admin/teams/:id/routing). */
  readonly routing: TeamRoutingService;
  readonly pricing: PricingService;
  readonly runtimeSettings: RuntimeSettings;
  readonly idps: IdpsService;
  readonly scim: ScimAdmin;
  readonly budgets: BudgetsService;
  /** Budgets beside users and teams, and a caller's own (GET /admin/me/budgets). */
  readonly budgetOverview: BudgetOverview;
  readonly budgetEvents: Pick<BudgetEventsRepo, 'list'>;
  /** Emails, team names and key prefixes for listings of budgets and budget events. */
  readonly names: SubjectNamesRepo;
  readonly system: SystemStatus;
  /** Usage charts and tables from the spend rollups. */
  readonly analytics: AnalyticsService;
  /** Spend by billing group and by Claude Code session, from the ledger. */
  readonly attribution: AttributionReports;
  readonly rateLimits: RateLimitOverrides;
  /** Checks the portal's CSRF header on cookie-authenticated writes. */
  readonly csrf: Csrf;
  /** CCAG_PUBLIC_URL, when set: the base of URLs handed to IdPs and browsers. */
  readonly publicUrl: string | undefined;
  /** Told of every refused admin credential (for `ccag.auth_failures.total`). */
  readonly onAuthFailure?: (reason: 'missing' | 'invalid' | 'forbidden') => void;
  /** The ledger beside Anthropic's bill per day; absent without ANTHROPIC_ADMIN_API_KEY. */
  readonly anthropicReconciliation?: AnthropicReconciliation | undefined;
  /** Notification destinations, outbox and history; each budget event's delivery state. */
  readonly notifications: NotificationsAdmin;
  /** Web search on Bedrock: mode, providers, tests (GET/PUT /admin/web-search, /admin/me/web-search). */
  readonly webSearch: WebSearchService;
  /** Fleet policies and settings drift (/admin/policies). */
  readonly policies?: PolicyArea;
}

declare module 'fastify' {
  interface FastifyRequest {
    adminUser?: SessionUser;
  }
}

function renderAdminError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  closeIfBodyUnread(request, reply);
  const known = error instanceof ApiError ? error : (fromFrameworkError(error) ?? fromDatabaseOutage(error));
  if (known) {
    // The operator's log says why the database could not be reached; the caller gets the fact.
    if (known.code === 'database_unavailable') request.log.warn({ err: error }, 'admin request failed: database unavailable');
    void reply.code(known.status).headers(known.headers).send(adminErrorBody(known.code, known.message));
    return;
  }
  request.log.error({ err: error }, 'admin request failed');
  void reply.code(500).send(adminErrorBody('internal', 'Internal error.'));
}

/**
 * Who is calling: a bearer (the CLI, automation) or, without one, the portal's session cookie.
 * A cookie rides along on any request the browser makes, including one a hostile page triggers,
 * so a cookie-authenticated write must also carry the session's CSRF token.
 */
async function adminCallerOf(request: FastifyRequest, deps: AdminDeps): Promise<{ user: SessionUser; token: string }> {
  const bearer = bearerOf(request.headers);
  const cookie = bearer ? undefined : sessionTokenOf(request);
  if (!bearer && !cookie) {
    deps.onAuthFailure?.('missing');
    throw new ApiError('missing_credentials', 'An admin session token or admin API key is required (Authorization: Bearer).');
  }
  // A cookie only ever holds a session token (the browser sign-ins set it), never another credential kind.
  const user = bearer ? await deps.adminAuth.resolve(bearer) : await deps.sessions.verify(cookie!);
  // One message for every failure, so a caller learns nothing about which part was wrong.
  if (!user) {
    deps.onAuthFailure?.('invalid');
    throw new ApiError('invalid_credentials', 'The session token or admin API key is invalid, expired or revoked; log in again.');
  }
  if (cookie && needsCsrfToken(request.method) && !deps.csrf.verify(cookie, request.headers[CSRF_HEADER])) {
    deps.onAuthFailure?.('forbidden');
    throw new ApiError('csrf_failed', `A change made with the browser session needs the ${CSRF_HEADER} header from GET /auth/session; reload the page.`);
  }
  return { user, token: bearer ?? cookie! };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without signing in (the sign-in route itself). */
    public?: boolean;
    /** Who may call an admin route; admin when absent. */
    access?: RouteAccess;
  }
}

export async function adminPlugin(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  app.setErrorHandler(renderAdminError);
  app.setNotFoundHandler((request) => {
    throw new ApiError('not_found', `Not found: ${request.method} ${request.url.split('?')[0]}`);
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public) return;
    const { user, token } = await adminCallerOf(request, deps);
    try {
      // Admin API keys are automation credentials of admins: a demoted owner's key opens nothing.
      const access = token.startsWith(ADMIN_API_KEY_PREFIX) ? 'admin' : (config.access ?? 'admin');
      assertRouteAccess({ userId: user.userId, email: user.email, role: user.role }, access);
    } catch (error) {
      deps.onAuthFailure?.('forbidden');
      throw error;
    }
    request.adminUser = user;
  });

  registerAuthRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerAdminApiKeyRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerTeamRoutes(app, deps);
  registerEndpointRoutes(app, deps);
  registerPricingRoutes(app, deps);
  registerRateLimitRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerIdpRoutes(app, deps);
  registerScimAdminRoutes(app, deps);
  registerBudgetRoutes(app, deps);
  registerBudgetEventRoutes(app, deps);
  registerMyBudgetRoutes(app, deps);
  registerSystemRoutes(app, deps);
  registerAnalyticsRoutes(app, deps);
  registerEndpointStatsRoutes(app, deps);

  registerRoutingRoutes(app, deps);
  registerReconciliationRoutes(app, deps);
  registerNotificationRoutes(app, deps);
  registerWebSearchRoutes(app, deps);
  registerMyWebSearchRoutes(app, deps);
  registerPolicyRoutes(app, deps);
  registerAttributionRoutes(app, deps);
}
