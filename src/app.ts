/**
 * The composition root: creates each area in dependency order (storage, configuration, telemetry,
 * identity, notifications, limits, routing, spend), hands each the services it needs from the others, and
 * registers the HTTP plugins. Each area registers what it starts with the lifecycle, which closes
 * them in reverse at shutdown; nothing here keeps a list of timers or connections.
 */
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { adminPlugin } from './admin/plugin.js';
import { portalPlugin } from './admin/portal.plugin.js';
import { createConfigArea } from './config/config.area.js';
import { tlsFiles } from './config/tls.js';
import type { Settings } from './config/settings.js';
import { InFlight } from './gateway/in-flight.js';
import { gatewayPlugin } from './gateway/plugin.js';
import { createIdentity, type Identity } from './identity/identity.area.js';
import { scimPlugin } from './identity/scim/scim.routes.js';
import { authRoutes } from './identity/sso/auth.routes.js';
import { oauthRoutes } from './identity/oauth/oauth.routes.js';
import { Lifecycle } from './lifecycle.js';
import { usageRoute } from './limits/budgets/usage.route.js';
import { createLimits } from './limits/limits.area.js';
import { createNotify } from './notify/notify.area.js';
import type { EndpointView } from './routing/endpoints.service.js';
import { createRouting, type Routing } from './routing/routing.area.js';
import { createAnthropicSpend } from './spend/spend-by-window.js';
import { createSpendTotals } from './spend/spend-totals.js';
import { createSpend } from './spend/spend.area.js';
import { openStorage } from './store/storage.area.js';
import { metricsRoute } from './telemetry/prometheus.route.js';
import { countBudgetOutcomes } from './telemetry/recorders.js';
import { createSystemStatus } from './telemetry/system-status.js';
import { createTelemetry } from './telemetry/telemetry.area.js';
import { telemetryRelayRoutes } from './telemetry/relay/relay.routes.js';
import { createTelemetryRelay } from './telemetry/relay/telemetry-relay.js';
import { VERSION } from './version.js';
import { createWebSearch } from './websearch/websearch.area.js';
import { createPolicy } from './policy/policy.area.js';
import { managedSettingsRoute } from './policy/managed-settings.route.js';
import { startRetention } from './store/retention.js';
import { DrainGuard, serverOptions } from './http/server-options.js';
import { RateLimitDecisions } from './telemetry/rate-limit-decisions.js';
import { announceWrites } from './store/announce-writes.js';

export interface App {
  readonly fastify: FastifyInstance;
  readonly settings: Settings;
  readonly bootstrap: {
    admin: Identity['bootstrapAdmin'];
    endpoint: EndpointView | undefined;
    journalReplayed: number;
  };
  listen(): Promise<string>;
  /** Stops accepting, drains in-flight requests (aborting them past the grace period), then closes every area. */
  shutdown(): Promise<void>;
}

export async function createApp(settings: Settings, log: Logger): Promise<App> {
  const startedAt = Date.now();
  const lifecycle = new Lifecycle(log);
  const { store, redis, changes } = await openStorage(settings, lifecycle, log);
  const config = await createConfigArea({ settings, store, lifecycle, log });
  // Telemetry observes areas created after it; the one answer it needs from routing is bound late.
  let routing: Routing | undefined;
  const telemetry = await createTelemetry({
    settings,
    log,
    lifecycle,
    endpointKind: (id) => routing?.pool.endpoints().find((endpoint) => endpoint.id === id)?.kind,
    anthropicSpend: createAnthropicSpend(store.db),
  });
  const { metrics, observe } = telemetry;
  const identity = await createIdentity({ settings, store, config, lifecycle, log, onAuthFailure: observe.authFailure });
  // Before limits, whose budget events and rate-limit refusals it queues.
  const notify = createNotify({
    settings,
    store,
    box: config.box,
    lifecycle,
    log,
    names: { userEmail: (id) => identity.directory.byId(id)?.email, teamNames: () => identity.teams.names() },
    // Limits is created next (it reports to notify); the catch-up's first pass runs after both exist.
    recentBudgetEvents: (from, limit) => limits.budgetEvents.since(from, limit),
    onAttempt: (destinationType, status) => metrics.instruments.notificationsDelivered.add(1, { destination_type: destinationType, status }),
    outbound: config.outbound,
  });
  metrics.instruments.notificationsOutboxPending.addCallback((result) => result.observe(notify.pending()));
  const spendTotals = createSpendTotals(store.db);
  const limits = await createLimits({
    settings,
    store,
    redis,
    lifecycle,
    log,
    spend: spendTotals,
    subjects: { users: identity.users, teams: identity.teams, keys: identity.keys },
    onRateLimited: (scope, kind) => metrics.instruments.rateLimits.add(1, { scope, kind }),
    onRateLimitDecision: new RateLimitDecisions(metrics.meter).count,
    countBudgetOutcomes: (gate) => countBudgetOutcomes(gate, observe.budgetOutcome),
    onBudgetEvent: (event) => notify.notifier.budgetEvent(event),
    onRateLimitHit: (hit) => notify.notifier.rateLimitHit(hit),
  });
  routing = await createRouting({
    settings,
    store,
    box: config.box,
    lifecycle,
    log,
    teamNames: () => identity.teams.names(),
    onEvent: (event) => {
      if (event.kind === 'cooldown') metrics.instruments.endpointCooldowns.add(1, { endpoint_id: event.endpointId });
      if (event.kind === 'failover') metrics.instruments.failovers.add(1, { reason: event.reason ?? 'unknown' });
    },
    outbound: config.outbound,
    onModelListFailure: (endpoint, error) => {
      // The operator's log gets the cause; the client only the fact.
      telemetry.logUpstreamError({ requestId: null, endpointId: endpoint.id, endpointName: endpoint.name, model: null, status: 502, errorType: 'upstream_unreachable', message: (error as Error).message, settled: false });
      observe.unsettledUpstreamError('upstream_unreachable', endpoint.id);
    },
  });
  const { pool, endpoints } = routing;
  const spend = await createSpend({
    settings,
    store,
    lifecycle,
    log,
    hasBedrockEndpoint: () => pool.endpoints().some((endpoint) => endpoint.kind === 'bedrock'),
    // Names come from their owners' services: the spend area never reads their tables.
    names: {
      userEmail: (id) => identity.directory.byId(id)?.email,
      teamNames: () => identity.teams.names(),
      endpointNames: async () => new Map((await endpoints.list()).map((endpoint) => [endpoint.id, endpoint.name])),
    },
    onSettled: ({ row, endpointName, errorMessage }) => {
      telemetry.logCompleted(row);
      observe.settled(row);
      if (row.error_type !== null) {
        telemetry.logUpstreamError({ requestId: row.request_id, endpointId: row.endpoint_id ?? '', endpointName: endpointName ?? '', model: row.model, status: row.status, errorType: row.error_type, message: errorMessage, settled: true });
      }
    },
    onFlushError: observe.spendFlushError,
    onQuarantine: observe.spendQuarantined,
  });
  const webSearch = await createWebSearch({
    settings,
    store,
    box: config.box,
    lifecycle,
    log,
    onSearch: (provider, ok) => {
      metrics.instruments.webSearches.add(1);
      if (!ok) metrics.instruments.webSearchFailures.add(1, { provider });
    },
    outbound: config.outbound,
  });
  const policy = await createPolicy({
    store,
    lifecycle,
    log,
    groups: identity.groupMemberships,
    subjectOf: async (reference) => {
      const user = await identity.findUser(reference);
      return user && { userId: user.id, userEmail: user.email, teamId: user.teamId };
    },
  });
  const inFlight = new InFlight();
  metrics.instruments.requestsInFlight.addCallback((result) => result.observe(inFlight.size));
  metrics.instruments.spendQueueDepth.addCallback((result) => result.observe(spend.ledger.queued()));
  metrics.instruments.changeBusConnected.addCallback((result) => result.observe(changes.connected ? 1 : 0, { transport: changes.transport }));
  metrics.instruments.changeBusMessages.addCallback((result) => result.observe(changes.received, { transport: changes.transport }));
  metrics.instruments.endpointHealthy.addCallback((result) => {
    for (const endpoint of pool.endpoints()) result.observe(pool.isHealthy(endpoint.id) ? 1 : 0, { endpoint_id: endpoint.id });
  });

  // GET /admin/system: two pings, the rest from memory.
  const system = createSystemStatus({
    version: VERSION,
    startedAt,
    database: store,
    redis,
    endpoints: () => pool.summary(),
    identityProviders: () => identity.idps.all(),
    ledgerQueued: () => spend.ledger.queued(),
  });

  const tls = tlsFiles(settings);
  const fastify: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // The gateway writes its own `completed` line per proxied request; Fastify's two would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: settings.maxBodyBytes,
    // Claude Code keeps connections open between turns; outlive typical load-balancer idle timeouts.
    keepAliveTimeout: 75_000,
    forceCloseConnections: 'idle',
    ...serverOptions(settings),
    // Fastify types an HTTPS instance apart; the routes are the same either way.
    ...((tls ? { https: tls } : {}) as object),
  });
  // Before every plugin, so a request arriving during the drain is refused before any other hook runs.
  const drainGuard = new DrainGuard();
  fastify.addHook('onRequest', drainGuard.onRequest);
  // Browser sign-in (SSO callback, device verification page, portal) keeps its session in a cookie.
  await fastify.register(fastifyCookie);
  // Before the plugins: every successful control-plane write tells the other replicas (docs/replicas.md).
  announceWrites(fastify, changes);
  await fastify.register(gatewayPlugin, {
    authenticator: identity.authenticator,
    governor: limits.governor,
    pricing: spend.pricing,
    router: routing.router,
    settler: spend.settler,
    endpoints: () => pool.endpoints(),
    store,
    inFlight,
    log,
    maxBodyBytes: settings.maxBodyBytes,
    failoverDeadlineMs: settings.failoverDeadlineMs,
    clientStallTimeoutMs: settings.clientStallTimeoutMs,
    onRequestBody: observe.requestBody,
    onUpstreamReply: observe.upstreamReply,
    onUpstreamFailure: (failure) => {
      telemetry.logUpstreamError(failure);
      observe.unsettledUpstreamError(failure.errorType, failure.endpointId);
    },
    webSearch: webSearch.gateway,
    policy: policy.gate,
    billingGroupTagKey: settings.billingGroupTagKey,
  });
  await fastify.register(adminPlugin, {
    prefix: '/admin',
    sessions: identity.sessions,
    adminAuth: identity.adminAuth,
    csrf: identity.csrf,
    adminKeys: identity.adminKeys,
    keys: identity.keys,
    users: identity.users,
    teams: identity.teams,
    endpoints,
    endpointEvents: routing.endpointEvents,
    pool,
    routing: routing.routing,
    pricing: spend.pricing,
    runtimeSettings: config.runtimeSettings,
    idps: identity.idps,
    scim: identity.scim.admin,
    rateLimits: limits.rateLimits,
    budgets: limits.budgets,
    budgetOverview: limits.budgetOverview,
    budgetEvents: limits.budgetEvents,
    names: identity.names,
    system,
    analytics: spend.analytics,
    publicUrl: config.publicUrl,
    onAuthFailure: observe.authFailure,
    anthropicReconciliation: telemetry.anthropicReconciliation,
    notifications: notify.admin,
    webSearch: webSearch.service,
    policies: policy,
    attribution: spend.attribution,
  });
  await fastify.register(scimPlugin, { prefix: '/scim/v2', ...identity.scim.plugin });
  await fastify.register(authRoutes, {
    idps: identity.idps,
    discovery: identity.discovery,
    box: config.box,
    signIn: identity.signIn,
    directory: identity.directory,
    sessions: identity.sessions,
    csrf: identity.csrf,
    version: VERSION,
    publicUrl: config.publicUrl,
  });
  await fastify.register(portalPlugin);
  await fastify.register(oauthRoutes, { oauth: identity.oauth, sessions: identity.sessions, idps: identity.idps, publicUrl: config.publicUrl });
  await fastify.register(usageRoute, { authenticator: identity.authenticator, book: limits.book, reservations: limits.reservations, spend: spendTotals });
  await fastify.register(managedSettingsRoute, { authenticator: identity.authenticator, callers: policy.callers });
  await fastify.register(metricsRoute, { metrics, adminAuth: identity.adminAuth, scrapeToken: settings.metricsToken, open: settings.metricsOpen, onAuthFailure: observe.authFailure });
  const relay = await createTelemetryRelay({ settings, lifecycle, log, instruments: metrics.instruments, teamNames: () => identity.teams.names() });
  await fastify.register(telemetryRelayRoutes, { authenticator: identity.authenticator, relay });
  // Retention (docs/retention.md): one replica at a time asks each area to purge its own old rows.
  startRetention({
    settings,
    store,
    lifecycle,
    log,
    purges: {
      ledger: spend.purgeLedgerBefore,
      budgetEvents: limits.budgetEvents.purgeBefore,
      deliveries: notify.purgeHistoryBefore,
      rateLimitEvents: notify.purgeRateLimitEventsBefore,
      deviceCodes: identity.purgeDeviceCodesBefore,
    },
    onDeleted: (table, count) => metrics.instruments.retentionDeleted.add(count, { table }),
  });

  return {
    fastify,
    settings,
    bootstrap: { admin: identity.bootstrapAdmin, endpoint: routing.bootstrapEndpoint, journalReplayed: spend.journalReplayed },
    async listen() {
      return fastify.listen({ port: settings.port, host: settings.host });
    },
    async shutdown() {
      drainGuard.begin();
      const closing = fastify.close();
      const drained = await inFlight.drain(settings.shutdownGraceMs);
      if (!drained) log.warn('grace period over: aborted the requests still in flight (billed for what they streamed)');
      await drainGuard.closeConnections(fastify.server, drained);
      await closing;
      await lifecycle.close();
    },
  };
}
