/**
 * The composition root: the one place that builds every area's repositories and services and
 * wires them together. Nothing else constructs a dependency of another area.
 */
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { adminPlugin } from './admin/plugin.js';
import { portalPlugin } from './admin/portal.plugin.js';
import { createRuntimeSettings } from './config/runtime-settings.js';
import { createSecretBox, resolveMasterKey } from './config/secret-box.js';
import type { Settings } from './config/settings.js';
import { InFlight } from './gateway/in-flight.js';
import type { UpstreamFailure } from './gateway/upstream-failure.js';
import { gatewayPlugin } from './gateway/plugin.js';
import { createAdminApiKeysRepo } from './identity/admin-api-keys.repo.js';
import { createAdminApiKeysService } from './identity/admin-api-keys.service.js';
import { createAdminAuthenticator } from './identity/admin-auth.js';
import { createAuthenticator } from './identity/authenticator.js';
import { createCsrf } from './identity/csrf.js';
import { ensureBootstrapAdmin } from './identity/bootstrap-admin.js';
import { KeyCache } from './identity/key-cache.js';
import { createKeysRepo } from './identity/keys.repo.js';
import { createKeysService } from './identity/keys.service.js';
import { LoginThrottle } from './identity/login-throttle.js';
import { createScim } from './identity/scim/scim.js';
import { scimPlugin } from './identity/scim/scim.routes.js';
import { createSessionsService } from './identity/sessions.service.js';
import { authRoutes } from './identity/sso/auth.routes.js';
import { checkDiscovery, DiscoveryCache } from './identity/sso/discovery.js';
import { createIdpsRepo } from './identity/sso/idps.repo.js';
import { createIdpsService } from './identity/sso/idps.service.js';
import { IdpJwtResolver } from './identity/sso/idp-jwt.js';
import { createSignIn } from './identity/sso/sign-in.js';
import { createSubjectNamesRepo } from './identity/subject-names.repo.js';
import { createTeamsRepo } from './identity/teams.repo.js';
import { createTeamsService } from './identity/teams.service.js';
import { createUsersRepo } from './identity/users.repo.js';
import { refreshingAfterWrites, UserDirectory } from './identity/user-directory.js';
import { createUsersService } from './identity/users.service.js';
import { createDeviceCodesRepo } from './identity/oauth/device-codes.repo.js';
import { GrantCache } from './identity/oauth/grant-cache.js';
import { createGrantsRepo } from './identity/oauth/grants.repo.js';
import { createOAuthService } from './identity/oauth/oauth.service.js';
import { oauthRoutes } from './identity/oauth/oauth.routes.js';
import { BudgetBook } from './limits/budgets/budget-book.js';
import { createBudgetEventsRepo } from './limits/budgets/budget-events.repo.js';
import { createBudgetGate } from './limits/budgets/budget-gate.js';
import { createBudgetOverview } from './limits/budgets/budget-overview.js';
import { createBudgetsRepo } from './limits/budgets/budgets.repo.js';
import { createBudgetsService } from './limits/budgets/budgets.service.js';
import { usageRoute } from './limits/budgets/usage.route.js';
import { createGovernor } from './limits/governor.js';
import { createMemoryBackend } from './limits/rate-limits/memory-backend.js';
import { createOverridesRepo } from './limits/rate-limits/overrides.repo.js';
import { defaultsFromSettings, RateLimitOverrides } from './limits/rate-limits/overrides.service.js';
import { createRateLimiter } from './limits/rate-limits/rate-limiter.js';
import { createRedisBackend } from './limits/rate-limits/redis-backend.js';
import { createRpmThrottle } from './limits/rate-limits/rpm-throttle.js';
import { createMemoryReservations } from './limits/reservations/memory.js';
import { createRedisReservations } from './limits/reservations/redis.js';
import { createEndpointEventRecorder } from './routing/endpoint-event-recorder.js';
import { createEndpointEventsRepo } from './routing/endpoint-events.repo.js';
import { EndpointPool } from './routing/endpoint-pool.js';
import { PoolRouter } from './routing/pool-router.js';
import { createEndpointsRepo } from './routing/endpoints.repo.js';
import { bootstrapEndpointFromEnv, createEndpointsService, type EndpointView, type EndpointsService } from './routing/endpoints.service.js';
import { TeamRoutingMirror } from './routing/team-routing-mirror.js';
import { createTeamRoutingRepo } from './routing/team-routing.repo.js';
import { createTeamRoutingService } from './routing/team-routing.service.js';
import { createAnalyticsService } from './spend/analytics/analytics.service.js';
import { lastAwsPriceUpdate } from './spend/aws-price-list/apply.js';
import { createPriceListClient } from './spend/aws-price-list/client.js';
import { createAwsPriceRefresher } from './spend/aws-price-list/refresher.js';
import { createLedgerWriter } from './spend/ledger-writer.js';
import { createPricingService } from './spend/pricing.service.js';
import { createSettler } from './spend/settlement.js';
import { createSpendTotals } from './spend/spend-totals.js';
import { createAnthropicSpend } from './spend/spend-by-window.js';
import { openStore } from './store/database.js';
import { openRedis } from './store/redis.js';
import type { SpendLedgerTable } from './store/schema.js';
import { createAdminApiClient } from './telemetry/admin-api-collector/client.js';
import { createAdminApiCollector } from './telemetry/admin-api-collector/collector.js';
import { createMetrics } from './telemetry/metrics.js';
import { metricsRoute } from './telemetry/prometheus.route.js';
import { countBudgetOutcomes, createRecorders } from './telemetry/recorders.js';
import { createSystemStatus } from './telemetry/system-status.js';
import { createUpstream } from './upstreams/index.js';
import { VERSION } from './version.js';

/** How often a replica picks up key and endpoint changes made elsewhere. */
const CHANGE_POLL_MS = 2_000;
const PRICING_POLL_MS = 15_000;
/** Runtime settings (session TTL): an admin's change reaches every replica within this. */
const RUNTIME_SETTINGS_POLL_MS = 5_000;

/** An in-memory copy of a table that follows other replicas' changes by polling. */
interface Polled {
  refresh(): Promise<void>;
  startPolling(intervalMs: number, onError: (error: unknown) => void): void;
  stop(): void;
}

export interface App {
  readonly fastify: FastifyInstance;
  readonly settings: Settings;
  readonly bootstrap: {
    admin: Awaited<ReturnType<typeof ensureBootstrapAdmin>>;
    endpoint: EndpointView | undefined;
    journalReplayed: number;
  };
  listen(): Promise<string>;
  /** Stops accepting, drains in-flight requests (aborting them past the grace period), flushes the ledger. */
  shutdown(): Promise<void>;
}

function completedLogLine(log: Logger) {
  return (row: SpendLedgerTable) =>
    log.isLevelEnabled('info') &&
    log.info(
      {
        request_id: row.request_id,
        model: row.model,
        status: row.status,
        streaming: row.streaming === 1,
        input_tokens: row.input_tokens,
        output_tokens: row.output_tokens,
        cache_read_tokens: row.cache_read_tokens,
        cache_write_tokens: row.cache_write_5m_tokens + row.cache_write_1h_tokens,
        cost_usd: row.cost_micros / 1e6,
        duration_ms: row.duration_ms,
        ttft_ms: row.ttft_ms,
        user_id: row.user_id,
        team_id: row.team_id,
        key_prefix: row.key_prefix,
        endpoint_id: row.endpoint_id,
        session_id: row.session_id,
        error_type: row.error_type,
      },
      'completed',
    );
}

/** One line per upstream failure; `message` is what the client was told, never the request. */
function upstreamErrorLogLine(log: Logger) {
  return (failure: UpstreamFailure) =>
    log.warn(
      {
        request_id: failure.requestId,
        endpoint_id: failure.endpointId,
        endpoint: failure.endpointName,
        model: failure.model,
        status: failure.status,
        error_type: failure.errorType,
        message: failure.message,
      },
      'upstream error',
    );
}

export async function createApp(settings: Settings, log: Logger): Promise<App> {
  const startedAt = Date.now();
  const store = await openStore({ databaseUrl: settings.databaseUrl, sqlitePath: join(settings.dataDir, 'ccag.db'), poolSize: settings.databasePoolSize });
  await store.migrate();
  const masterKey = resolveMasterKey(settings);
  const box = createSecretBox(masterKey);
  const csrf = createCsrf(masterKey);
  // The base of URLs handed to browsers and IdPs; without it each request's own origin is used.
  const publicUrl = settings.publicUrl?.replace(/\/+$/, '');

  /** What is polled for other replicas' changes: loaded now, refreshed every CHANGE_POLL_MS, stopped at shutdown. */
  const polled: Polled[] = [];
  async function keepFresh<T extends Polled>(what: string, mirror: T): Promise<T> {
    await mirror.refresh();
    mirror.startPolling(CHANGE_POLL_MS, (error) => log.warn({ err: error }, `${what} refresh failed`));
    polled.push(mirror);
    return mirror;
  }

  const users = createUsersRepo(store.db);
  const keysRepo = createKeysRepo(store.db);
  const keyCache = await keepFresh('key cache', new KeyCache(keysRepo));
  const teams = createTeamsService({ teams: createTeamsRepo(store.db) });
  const keys = createKeysService({ keys: keysRepo, users, teams, cache: keyCache });
  const runtimeSettings = await createRuntimeSettings(store.db, settings);
  runtimeSettings.startPolling(RUNTIME_SETTINGS_POLL_MS, (error) => log.warn({ err: error }, 'runtime settings reload failed'));
  // Read at each login, so a changed TTL applies to new sessions only.
  const sessions = createSessionsService({
    db: store.db,
    users,
    throttle: new LoginThrottle(),
    ttlHours: () => runtimeSettings.get('session_ttl_hours'),
  });
  // Users by id and email in memory: IdP JWTs (and OAuth tokens) check their user's status per request.
  const directory = await keepFresh('user directory', new UserDirectory(users));
  const usersService = refreshingAfterWrites(createUsersService({ users, teams, keys: keysRepo, cache: keyCache, sessions }), directory);
  const adminKeys = createAdminApiKeysService({ repo: createAdminApiKeysRepo(store.db) });
  // Device sign-in (Claude Code's /login, `ccag login --sso`): access tokens resolve from memory.
  const grantsRepo = createGrantsRepo(store.db);
  const grantCache = await keepFresh('OAuth grant cache', new GrantCache(grantsRepo, directory));
  const oauth = createOAuthService({
    deviceCodes: createDeviceCodesRepo(store.db),
    grants: grantsRepo,
    users,
    onGrant: (grant) => grantCache.apply(grant),
    accessTtlMinutes: settings.oauthAccessTtlMinutes,
    refreshTtlDays: settings.oauthRefreshTtlDays,
    deviceCodeTtlSeconds: settings.deviceCodeTtlSeconds,
  });
  const adminAuth = createAdminAuthenticator({ sessions, adminKeys, oauth });
  const idps = await keepFresh('identity providers', createIdpsService({ repo: createIdpsRepo(store.db), box, checkDiscovery }));
  const scim = createScim({ db: store.db, idps, users: usersService, usersRepo: users, publicUrl });
  const discovery = new DiscoveryCache();
  const signIn = createSignIn({ directory, users: usersService, usersRepo: users, log });
  const idpJwt = new IdpJwtResolver({ idps, discovery, directory, signIn });
  const admin = await ensureBootstrapAdmin(users, { username: settings.adminUsername, password: settings.adminPassword });

  // "Refresh from AWS" reads the Price List of the gateway's AWS region (us-east-1 without one).
  const priceList = createPriceListClient({ region: settings.awsPricingRegion ?? settings.awsRegion ?? 'us-east-1', endpoint: settings.awsPricingEndpoint });
  const pricing = createPricingService(store, { priceList });
  await pricing.seed();
  // Prices change rarely: re-reading the small table picks up other replicas' edits.
  const pricingTimer = setInterval(() => pricing.reload().catch((error: unknown) => log.warn({ err: error }, 'pricing reload failed')), PRICING_POLL_MS);
  pricingTimer.unref();

  const metrics = createMetrics({ otlpEndpoint: settings.otlpEndpoint, otlpIntervalMs: settings.otlpIntervalMs });

  // One Redis connection for everything replicas must count together (rate limits, reservations).
  const redis = settings.redisUrl ? await openRedis(settings.redisUrl) : undefined;
  const rateLimits = await keepFresh('rate-limit overrides', new RateLimitOverrides(createOverridesRepo(store.db), defaultsFromSettings(settings)));
  const rateLimitBackend = redis ? createRedisBackend(redis, settings.redisPrefix) : createMemoryBackend();
  const rateLimiter = createRateLimiter({
    backend: rateLimitBackend,
    overrides: rateLimits,
    slotTtlMs: settings.reservationTtlMs,
    log,
    onRefused: (scope, kind) => metrics.instruments.rateLimits.add(1, { scope, kind }),
  });
  // Budgets: the book in memory (polled), reservations shared through Redis when there is one.
  const spendTotals = createSpendTotals(store.db);
  const budgetsRepo = createBudgetsRepo(store.db);
  const budgetBook = await keepFresh('budget book', new BudgetBook(budgetsRepo));
  const reservations = redis ? createRedisReservations(redis, settings.redisPrefix) : createMemoryReservations();
  const budgetEvents = createBudgetEventsRepo(store.db);
  const budgetGate = createBudgetGate({
    book: budgetBook,
    reservations,
    throttle: createRpmThrottle(rateLimitBackend),
    spend: spendTotals,
    events: budgetEvents,
    contact: settings.budgetContact,
    reservationTtlMs: settings.reservationTtlMs,
    onError: (error) => log.warn({ err: error }, 'budget reservation store failed'),
  });
  const budgets = createBudgetsService({ repo: budgetsRepo, book: budgetBook, spend: spendTotals, users: usersService, teams, keys, defaultTimeZone: settings.budgetTimeZone });
  const budgetOverview = createBudgetOverview({ book: budgetBook, spend: spendTotals, reservations });
  const observe = createRecorders(metrics.instruments, { endpointKind: (id) => pool.endpoints().find((e) => e.id === id)?.kind });
  const governor = createGovernor([rateLimiter, countBudgetOutcomes(budgetGate, observe.budgetOutcome)]);

  const ledger = createLedgerWriter({
    store,
    journalDir: join(settings.dataDir, 'journal'),
    flushIntervalMs: settings.ledgerFlushMs,
    batchSize: settings.ledgerBatchSize,
    maxBuffered: settings.ledgerMaxBuffered,
    log,
    onFlushError: observe.spendFlushError,
    onQuarantine: observe.spendQuarantined,
  });
  const journalReplayed = await ledger.replayJournal();
  // Optional (ANTHROPIC_ADMIN_API_KEY): the provider's own usage and cost, compared with the ledger.
  const adminApiCollector = settings.anthropicAdminApiKey
    ? createAdminApiCollector({
        client: createAdminApiClient({ baseUrl: settings.anthropicAdminApiUrl, apiKey: settings.anthropicAdminApiKey }),
        ledger: createAnthropicSpend(store.db),
        meter: metrics.meter,
        log,
        intervalMs: settings.adminApiCollectorIntervalMs,
      })
    : undefined;
  adminApiCollector?.start();
  metrics.instruments.spendQueueDepth.addCallback((result) => result.observe(ledger.queued()));

  const endpointsRepo = createEndpointsRepo(store.db);
  const endpointEventsRepo = createEndpointEventsRepo(store.db);
  // Routing records throttles, cooldowns and failovers here; written in batches, off the request path.
  const endpointEvents = createEndpointEventRecorder({
    repo: endpointEventsRepo,
    onFlushError: (error) => log.warn({ err: error }, 'endpoint events write failed; kept for the next try'),
  });
  endpointEvents.start();
  let endpoints: EndpointsService | undefined;
  const upstreamOptions = { streamPingMs: settings.streamPingMs, timeoutMs: settings.upstreamTimeoutMs, log };
  const pool = new EndpointPool(endpointsRepo, () => endpoints!, upstreamOptions);
  endpoints = createEndpointsService({
    repo: endpointsRepo,
    box,
    onChange: () => pool.reload(),
    teamNames: () => teams.names(),
    createUpstream: (config, secrets) => createUpstream(config, secrets, upstreamOptions),
    liveUpstream: (id) => pool.endpoints().find((endpoint) => endpoint.id === id)?.upstream,
  });
  const bootstrapEndpoint = await bootstrapEndpointFromEnv(endpointsRepo, endpoints, settings);
  await pool.reload();
  pool.startPolling(CHANGE_POLL_MS, (error) => log.warn({ err: error }, 'endpoint reload failed'));
  const teamRoutingRepo = createTeamRoutingRepo(store.db);
  const teamRouting = await keepFresh('team routing', new TeamRoutingMirror(teamRoutingRepo));
  const routing = createTeamRoutingService({ repo: teamRoutingRepo, endpoints: endpointsRepo, teams, onChange: () => teamRouting.refresh() });

  // Scheduled AWS price refresh: only while a Bedrock endpoint exists (an Anthropic-only gateway has nothing to price from AWS).
  const awsPriceRefresher = settings.awsPricingRefreshHours > 0
    ? createAwsPriceRefresher({
        refresh: () => pricing.refreshFromAws(),
        lastRefreshedAt: () => lastAwsPriceUpdate(store.db),
        enabled: () => pool.endpoints().some((endpoint) => endpoint.kind === 'bedrock'),
        intervalMs: settings.awsPricingRefreshHours * 3_600_000,
        onError: (error) => log.warn({ err: error }, 'AWS price refresh failed'),
      })
    : undefined;
  awsPriceRefresher?.start();

  // GET /admin/system: two pings, the rest from memory.
  const system = createSystemStatus({
    version: VERSION,
    startedAt,
    database: store,
    redis,
    endpoints: () => pool.summary(),
    identityProviders: () => idps.all(),
    ledgerQueued: () => ledger.queued(),
  });

  const fastify: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // The gateway writes its own `completed` line per proxied request; Fastify's two would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: settings.maxBodyBytes,
    // Claude Code keeps connections open between turns; outlive typical load-balancer idle timeouts.
    keepAliveTimeout: 75_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  // Browser sign-in (SSO callback, device verification page, portal) keeps its session in a cookie.
  await fastify.register(fastifyCookie);
  const inFlight = new InFlight();
  metrics.instruments.requestsInFlight.addCallback((result) => result.observe(inFlight.size));
  const logCompleted = completedLogLine(log);
  const logUpstreamError = upstreamErrorLogLine(log);
  const authenticator = createAuthenticator([keyCache, grantCache, idpJwt], observe.authFailure);
  const router = new PoolRouter(pool, {
    onModelListFailure: (endpoint, error) => {
      // The operator's log gets the cause; the client only the fact.
      logUpstreamError({ requestId: null, endpointId: endpoint.id, endpointName: endpoint.name, model: null, status: 502, errorType: 'upstream_unreachable', message: (error as Error).message, settled: false });
      observe.unsettledUpstreamError('upstream_unreachable', endpoint.id);
    },
  });
  const settler = createSettler({
    pricing,
    ledger,
    onSettled: ({ row, endpointName, errorMessage }) => {
      logCompleted(row);
      observe.settled(row);
      if (row.error_type !== null) {
        logUpstreamError({ requestId: row.request_id, endpointId: row.endpoint_id ?? '', endpointName: endpointName ?? '', model: row.model, status: row.status, errorType: row.error_type, message: errorMessage, settled: true });
      }
    },
  });
  await fastify.register(gatewayPlugin, {
    authenticator,
    governor,
    pricing,
    router,
    settler,
    endpoints: () => pool.endpoints(),
    store,
    inFlight,
    log,
    maxBodyBytes: settings.maxBodyBytes,
    failoverDeadlineMs: settings.failoverDeadlineMs,
    onRequestBody: observe.requestBody,
    onUpstreamReply: observe.upstreamReply,
    onUpstreamFailure: (failure) => {
      logUpstreamError(failure);
      observe.unsettledUpstreamError(failure.errorType, failure.endpointId);
    },
  });
  await fastify.register(adminPlugin, {
    prefix: '/admin',
    sessions,
    adminAuth,
    csrf,
    adminKeys,
    keys,
    users: usersService,
    teams,
    endpoints,
    endpointEvents: endpointEventsRepo,

    routing,
    pricing,
    runtimeSettings,
    idps,
    scim: scim.admin,
    rateLimits,
    budgets,
    budgetOverview,
    budgetEvents,
    names: createSubjectNamesRepo(store.db),
    system,
    analytics: createAnalyticsService({
      db: store.db,
      // Names come from their owners' services: the spend area never reads their tables.
      names: {
        userEmail: (id) => directory.byId(id)?.email,
        teamNames: () => teams.names(),
        endpointNames: async () => new Map((await endpoints!.list()).map((endpoint) => [endpoint.id, endpoint.name])),
      },
    }),
    publicUrl,
    onAuthFailure: observe.authFailure,
  });
  await fastify.register(scimPlugin, { prefix: '/scim/v2', ...scim.plugin });
  await fastify.register(authRoutes, { idps, discovery, box, signIn, directory, sessions, csrf, version: VERSION, publicUrl });
  await fastify.register(portalPlugin);
  await fastify.register(oauthRoutes, { oauth, sessions, idps, publicUrl });
  await fastify.register(usageRoute, { authenticator, book: budgetBook, reservations, spend: spendTotals });
  await fastify.register(metricsRoute, { metrics, adminAuth, scrapeToken: settings.metricsToken, open: settings.metricsOpen, onAuthFailure: observe.authFailure });

  return {
    fastify,
    settings,
    bootstrap: { admin, endpoint: bootstrapEndpoint, journalReplayed },
    async listen() {
      return fastify.listen({ port: settings.port, host: settings.host });
    },
    async shutdown() {
      const closing = fastify.close();
      const drained = await inFlight.drain(settings.shutdownGraceMs);
      if (!drained) log.warn('grace period over: aborted the requests still in flight (billed for what they streamed)');
      fastify.server.closeAllConnections();
      await closing;
      for (const poller of polled) poller.stop();
      runtimeSettings.stop();
      clearInterval(pricingTimer);
      await awsPriceRefresher?.close();
      priceList.destroy();
      await adminApiCollector?.stop();
      await ledger.close();
      await endpointEvents.close();
      // After the ledger, so its last flush failures are in the final OTLP push.
      await metrics.shutdown();
      await pool.close();
      await redis?.quit();
      await store.close();
    },
  };
}
