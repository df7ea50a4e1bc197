/**
 * Settings: one zod schema, read once at start from an optional file and the environment (the
 * environment wins), validated, frozen, then injected. A wrong value stops start-up with a
 * message that names the environment variable to fix.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isTimeZone } from '../limits/budget-period.js';
import { HeaderListError, parseHeaderList } from '../telemetry/relay/header-list.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_OUTBOUND_ALLOWLIST, outboundAllowlistSchema } from './outbound-addresses.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalText = z.string().trim().min(1).optional();
const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);
const collectorUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
/** `k=v,k2=v2` as in OTEL_EXPORTER_OTLP_HEADERS; the values may be API keys, so errors never quote them. */
const headerList = z.string().transform((text, ctx) => {
  try {
    return parseHeaderList(text);
  } catch (error) {
    if (!(error instanceof HeaderListError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

export const settingsSchema = z
  .object({
    port: port.default(8080),
    host: z.string().min(1).default('0.0.0.0'),
    publicUrl: z.url().optional(),
    dataDir: z.string().min(1).default('./data'),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    databasePoolSize: positiveInt.default(10),
    masterKey: optionalText,
    adminUsername: z.string().trim().min(1).default('admin'),
    adminPassword: z.string().min(12, 'must be at least 12 characters').optional(),
    sessionTtlHours: z.coerce.number().int().min(1).max(8760).default(24),
    oauthAccessTtlMinutes: z.coerce.number().int().min(1).max(1440).default(60),
    oauthRefreshTtlDays: z.coerce.number().int().min(1).max(365).default(30),
    deviceCodeTtlSeconds: z.coerce.number().int().min(60).max(3600).default(600),
    metricsToken: z.string().min(16, 'must be at least 16 characters').optional(),
    metricsOpen: flag.default(false),
    otlpEndpoint: z.url().optional(),
    otlpIntervalMs: positiveInt.default(60_000),
    /** The Anthropic Admin API collector runs only when an admin key (sk-ant-admin…) is set. */
    anthropicAdminApiKey: optionalText,
    anthropicAdminApiUrl: z.url().default('https://api.anthropic.com'),
    adminApiCollectorIntervalMs: z.coerce.number().int().min(1_000).default(300_000),
    redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
    /** Prefix of every Redis key CCAG writes, so several deployments (or tests) can share one Redis. */
    redisPrefix: z.string().min(1).max(100).default('ccag:'),
    replicas: positiveInt.default(1),
    rateLimitKeyRpm: positiveInt.optional(),
    rateLimitKeyTpm: positiveInt.optional(),
    rateLimitKeyConcurrency: positiveInt.optional(),
    rateLimitUserRpm: positiveInt.optional(),
    rateLimitUserTpm: positiveInt.optional(),
    rateLimitUserConcurrency: positiveInt.optional(),
    rateLimitTeamRpm: positiveInt.optional(),
    rateLimitTeamTpm: positiveInt.optional(),
    rateLimitTeamConcurrency: positiveInt.optional(),
    budgetTimeZone: z.string().min(1).default('UTC'),
    budgetContact: z.string().trim().min(1).max(200).default('your CCAG administrator'),
    reservationTtlMs: positiveInt.default(900_000),
    maxBodyBytes: positiveInt.default(32 * 1024 * 1024),
    streamPingMs: positiveInt.default(5000),
    upstreamTimeoutMs: positiveInt.default(600_000),
    /** How long after arrival a request may still fail over to another endpoint. */
    failoverDeadlineMs: positiveInt.default(30_000),
    /** How often every endpoint gets an active health check. */
    healthCheckIntervalMs: positiveInt.default(30_000),
    /** Bounds of an endpoint's cooldown after throttling. */
    cooldownMinMs: positiveInt.default(1_000),
    cooldownMaxMs: positiveInt.default(300_000),
    shutdownGraceMs: positiveInt.default(30_000),
    ledgerFlushMs: positiveInt.default(200),
    ledgerBatchSize: positiveInt.default(500),
    ledgerMaxBuffered: positiveInt.default(10_000),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    logFormat: z.enum(['json', 'pretty']).default('json'),
    /** First-run upstreams, created once when the database has no endpoint. */
    anthropicApiKey: optionalText,
    anthropicUpstreamUrl: z.url().optional(),
    awsRegion: optionalText,
    bedrockEndpointUrl: z.url().optional(),
    /** "Refresh from AWS": hours between scheduled refreshes (0 = only on demand); which region's prices; another Price List endpoint. */
    awsPricingRefreshHours: z.coerce.number().min(0).max(8760).default(24),
    awsPricingRegion: optionalText,
    awsPricingEndpoint: z.url().optional(),
    /** Telemetry relay (docs/telemetry-relay.md): each signal's collector URL and headers; logs and traces are opt-in. */
    telemetryRelayMetricsUrl: collectorUrl.optional(),
    telemetryRelayLogsUrl: collectorUrl.optional(),
    telemetryRelayTracesUrl: collectorUrl.optional(),
    telemetryRelayHeaders: headerList.optional(),
    telemetryRelayMetricsHeaders: headerList.optional(),
    telemetryRelayLogsHeaders: headerList.optional(),
    telemetryRelayTracesHeaders: headerList.optional(),
    telemetryRelayMetrics: flag.default(true),
    telemetryRelayLogs: flag.default(false),
    telemetryRelayTraces: flag.default(false),
    telemetryRelayQueueMaxBatches: positiveInt.default(512),
    telemetryRelayQueueMaxBytes: positiveInt.default(16 * 1024 * 1024),
    telemetryRelayConcurrency: z.coerce.number().int().min(1).max(64).default(4),
    telemetryRelayTimeoutMs: positiveInt.default(10_000),
    /** How often a replica tries to deliver queued notifications (docs/notifications.md). */
    notifyIntervalMs: z.coerce.number().int().min(1_000).default(30_000),
    /** Attempts before an undeliverable notification is dead. */
    notifyMaxAttempts: z.coerce.number().int().min(1).max(100).default(8),
    /** Price of one web search (USD), added to a request's cost for each search it ran ($10 per 1,000 published). */
    webSearchPriceUsd: z.coerce.number().min(0).max(1000).refine((usd) => Math.round(usd * 1e6) / 1e6 === usd, 'at most six decimal places (money is kept in micro-dollars)').default(0.01),
    /** Days raw ledger rows are kept; the analytics rollups are kept forever (docs/retention.md). */
    retentionLedgerDays: positiveInt.default(400),
    /** Days budget events are kept. */
    retentionBudgetEventsDays: positiveInt.default(400),
    /** Days the notification delivery history (and finished rate-limit events) are kept. */
    retentionDeliveriesDays: positiveInt.default(30),
    /** Days an expired device-flow code is kept, so a late visitor is told "expired" rather than "unknown". */
    retentionDeviceCodesDays: positiveInt.default(1),
    /** How often a replica tries the retention lease and purges. */
    retentionIntervalMs: z.coerce.number().int().min(1_000).default(3_600_000),
    /** Rows per DELETE statement: small, so no statement holds a lock for long. */
    retentionBatchSize: z.coerce.number().int().min(1).max(100_000).default(1_000),
    /** Pause between two batches, letting queued writes take the lock. */
    retentionPauseMs: z.coerce.number().int().min(0).max(60_000).default(100),
    /** How long a client may take to send a whole request, headers and body (408 past it); the response's time is not counted. */
    requestBodyTimeoutMs: z.coerce.number().int().min(1_000).default(60_000),
    /** Largest request headers accepted, in bytes (431 past it); Node's default. */
    maxHeaderBytes: z.coerce.number().int().min(1_024).max(1_048_576).default(16_384),
    /** The spend write-ahead journal (docs/spend.md#crash-safety): each settled row is appended to a local file, so kill -9 loses none. */
    ledgerWal: flag.default(true),
    /** Its directory, one file per process; default `<dataDir>/journal/wal`. */
    ledgerWalDir: optionalText,
    /** Longest a client may take to send a request's headers (a slowloris defence); Node's default. */
    headersTimeoutMs: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
    /** Longest a client may leave a response unread before it is disconnected. */
    clientStallTimeoutMs: positiveInt.default(600_000),
    /** Private ranges and hosts admin-supplied URLs may reach (docs/security.md#ssrf); loopback only by default. */
    outboundAllowPrivate: outboundAllowlistSchema.prefault(DEFAULT_OUTBOUND_ALLOWLIST),
    /** PEM files: with both, the gateway itself terminates TLS (docs/security.md#tls). */
    tlsCertFile: optionalText,
    tlsKeyFile: optionalText,
    /** The key of the request `tags` object whose value is the billing group (docs/attribution.md). */
    billingGroupTagKey: z
      .string()
      .regex(/^[A-Za-z0-9_.:/=+@-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . : / = + @ -')
      .default('billing_group'),
  })
  .strict();

export type Settings = Readonly<z.infer<typeof settingsSchema>>;

/** Environment variable for each setting: what error messages name and docs list. */
export const ENV_NAMES: Record<keyof z.infer<typeof settingsSchema>, string> = {
  port: 'PORT',
  host: 'HOST',
  publicUrl: 'CCAG_PUBLIC_URL',
  dataDir: 'CCAG_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  databasePoolSize: 'CCAG_DATABASE_POOL_SIZE',
  masterKey: 'CCAG_MASTER_KEY',
  adminUsername: 'ADMIN_USERNAME',
  adminPassword: 'ADMIN_PASSWORD',
  sessionTtlHours: 'CCAG_SESSION_TTL_HOURS',
  oauthAccessTtlMinutes: 'CCAG_OAUTH_ACCESS_TTL_MINUTES',
  oauthRefreshTtlDays: 'CCAG_OAUTH_REFRESH_TTL_DAYS',
  deviceCodeTtlSeconds: 'CCAG_DEVICE_CODE_TTL_SECONDS',
  metricsToken: 'CCAG_METRICS_TOKEN',
  metricsOpen: 'CCAG_METRICS_OPEN',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  otlpIntervalMs: 'OTEL_METRIC_EXPORT_INTERVAL',
  anthropicAdminApiKey: 'ANTHROPIC_ADMIN_API_KEY',
  anthropicAdminApiUrl: 'ANTHROPIC_ADMIN_API_URL',
  adminApiCollectorIntervalMs: 'CCAG_ADMIN_API_COLLECTOR_INTERVAL_MS',
  redisUrl: 'REDIS_URL',
  redisPrefix: 'CCAG_REDIS_PREFIX',
  replicas: 'CCAG_REPLICAS',
  rateLimitKeyRpm: 'CCAG_RATE_LIMIT_KEY_RPM',
  rateLimitKeyTpm: 'CCAG_RATE_LIMIT_KEY_TPM',
  rateLimitKeyConcurrency: 'CCAG_RATE_LIMIT_KEY_CONCURRENCY',
  rateLimitUserRpm: 'CCAG_RATE_LIMIT_USER_RPM',
  rateLimitUserTpm: 'CCAG_RATE_LIMIT_USER_TPM',
  rateLimitUserConcurrency: 'CCAG_RATE_LIMIT_USER_CONCURRENCY',
  rateLimitTeamRpm: 'CCAG_RATE_LIMIT_TEAM_RPM',
  rateLimitTeamTpm: 'CCAG_RATE_LIMIT_TEAM_TPM',
  rateLimitTeamConcurrency: 'CCAG_RATE_LIMIT_TEAM_CONCURRENCY',
  budgetTimeZone: 'CCAG_BUDGET_TIME_ZONE',
  budgetContact: 'CCAG_BUDGET_CONTACT',
  reservationTtlMs: 'CCAG_RESERVATION_TTL_MS',
  maxBodyBytes: 'CCAG_MAX_BODY_BYTES',
  streamPingMs: 'CCAG_STREAM_PING_MS',
  upstreamTimeoutMs: 'CCAG_UPSTREAM_TIMEOUT_MS',
  failoverDeadlineMs: 'CCAG_FAILOVER_DEADLINE_MS',
  healthCheckIntervalMs: 'CCAG_HEALTH_CHECK_INTERVAL_MS',
  cooldownMinMs: 'CCAG_COOLDOWN_MIN_MS',
  cooldownMaxMs: 'CCAG_COOLDOWN_MAX_MS',
  shutdownGraceMs: 'CCAG_SHUTDOWN_GRACE_MS',
  ledgerFlushMs: 'CCAG_LEDGER_FLUSH_MS',
  ledgerBatchSize: 'CCAG_LEDGER_BATCH_SIZE',
  ledgerMaxBuffered: 'CCAG_LEDGER_MAX_BUFFERED',
  logLevel: 'LOG_LEVEL',
  logFormat: 'LOG_FORMAT',
  anthropicApiKey: 'ANTHROPIC_API_KEY',
  anthropicUpstreamUrl: 'ANTHROPIC_UPSTREAM_URL',
  awsRegion: 'AWS_REGION',
  bedrockEndpointUrl: 'BEDROCK_ENDPOINT_URL',
  awsPricingRefreshHours: 'CCAG_AWS_PRICING_REFRESH_HOURS',
  awsPricingRegion: 'CCAG_AWS_PRICING_REGION',
  awsPricingEndpoint: 'CCAG_AWS_PRICING_ENDPOINT',
  telemetryRelayMetricsUrl: 'CCAG_TELEMETRY_RELAY_METRICS_URL',
  telemetryRelayLogsUrl: 'CCAG_TELEMETRY_RELAY_LOGS_URL',
  telemetryRelayTracesUrl: 'CCAG_TELEMETRY_RELAY_TRACES_URL',
  telemetryRelayHeaders: 'CCAG_TELEMETRY_RELAY_HEADERS',
  telemetryRelayMetricsHeaders: 'CCAG_TELEMETRY_RELAY_METRICS_HEADERS',
  telemetryRelayLogsHeaders: 'CCAG_TELEMETRY_RELAY_LOGS_HEADERS',
  telemetryRelayTracesHeaders: 'CCAG_TELEMETRY_RELAY_TRACES_HEADERS',
  telemetryRelayMetrics: 'CCAG_TELEMETRY_RELAY_METRICS',
  telemetryRelayLogs: 'CCAG_TELEMETRY_RELAY_LOGS',
  telemetryRelayTraces: 'CCAG_TELEMETRY_RELAY_TRACES',
  telemetryRelayQueueMaxBatches: 'CCAG_TELEMETRY_RELAY_QUEUE_MAX_BATCHES',
  telemetryRelayQueueMaxBytes: 'CCAG_TELEMETRY_RELAY_QUEUE_MAX_BYTES',
  telemetryRelayConcurrency: 'CCAG_TELEMETRY_RELAY_CONCURRENCY',
  telemetryRelayTimeoutMs: 'CCAG_TELEMETRY_RELAY_TIMEOUT_MS',
  notifyIntervalMs: 'CCAG_NOTIFY_INTERVAL_MS',
  notifyMaxAttempts: 'CCAG_NOTIFY_MAX_ATTEMPTS',
  webSearchPriceUsd: 'CCAG_WEB_SEARCH_PRICE_USD',
  retentionLedgerDays: 'CCAG_RETENTION_LEDGER_DAYS',
  retentionBudgetEventsDays: 'CCAG_RETENTION_BUDGET_EVENTS_DAYS',
  retentionDeliveriesDays: 'CCAG_RETENTION_DELIVERIES_DAYS',
  retentionDeviceCodesDays: 'CCAG_RETENTION_DEVICE_CODES_DAYS',
  retentionIntervalMs: 'CCAG_RETENTION_INTERVAL_MS',
  retentionBatchSize: 'CCAG_RETENTION_BATCH_SIZE',
  retentionPauseMs: 'CCAG_RETENTION_PAUSE_MS',
  requestBodyTimeoutMs: 'CCAG_REQUEST_BODY_TIMEOUT_MS',
  maxHeaderBytes: 'CCAG_MAX_HEADER_BYTES',
  ledgerWal: 'CCAG_LEDGER_WAL',
  ledgerWalDir: 'CCAG_LEDGER_WAL_DIR',
  headersTimeoutMs: 'CCAG_HEADERS_TIMEOUT_MS',
  clientStallTimeoutMs: 'CCAG_CLIENT_STALL_TIMEOUT_MS',
  outboundAllowPrivate: 'CCAG_OUTBOUND_ALLOW_PRIVATE',
  tlsCertFile: 'CCAG_TLS_CERT_FILE',
  tlsKeyFile: 'CCAG_TLS_KEY_FILE',
  billingGroupTagKey: 'CCAG_BILLING_GROUP_TAG_KEY',
};

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

function readFileSettings(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SettingsError(`cannot read the configuration file ${path}: ${(error as Error).message}`);
  }
  const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SettingsError(`the configuration file ${path} must hold an object of settings`);
  }
  return parsed as Record<string, unknown>;
}

function readEnvSettings(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') values[key] = value;
  }
  // AWS SDKs accept either name for the region.
  if (values.awsRegion === undefined && env.AWS_DEFAULT_REGION) values.awsRegion = env.AWS_DEFAULT_REGION;
  return values;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Configuration file (YAML or JSON, camelCase keys); also `CCAG_CONFIG`. */
  file?: string;
  overrides?: Partial<Record<keyof Settings, unknown>>;
}

export function loadSettings(options: LoadOptions = {}): Settings {
  const env = options.env ?? process.env;
  const file = options.file ?? env.CCAG_CONFIG;
  const fromFile = file ? readFileSettings(resolve(file)) : {};
  const merged = { ...fromFile, ...readEnvSettings(env), ...options.overrides };
  const result = settingsSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const name = ENV_NAMES[key as keyof typeof ENV_NAMES];
      const where = name ? `${name} (${key})` : key || 'configuration';
      return `invalid setting ${where}: ${issue.message}`;
    });
    throw new SettingsError(problems.join('\n'));
  }
  const settings = result.data;
  // Per-replica counters would multiply every limit and budget by the replica count.
  if (settings.replicas > 1 && !settings.redisUrl) {
    throw new SettingsError(
      `invalid setting CCAG_REPLICAS (replicas): ${settings.replicas} replicas need REDIS_URL, so that rate limits and budget reservations are shared; without it each replica would enforce its own copy of every limit`,
    );
  }
  if (!isTimeZone(settings.budgetTimeZone)) {
    throw new SettingsError(`invalid setting CCAG_BUDGET_TIME_ZONE (budgetTimeZone): unknown time zone "${settings.budgetTimeZone}" (use an IANA name such as Europe/Berlin, or UTC)`);
  }
  if ((settings.tlsCertFile === undefined) !== (settings.tlsKeyFile === undefined)) {
    throw new SettingsError('invalid setting CCAG_TLS_CERT_FILE / CCAG_TLS_KEY_FILE: set both (the certificate chain and its private key) or neither');
  }
  return Object.freeze(settings);
}
