/**
 * Telemetry: the metric instruments (Prometheus and OTLP), the recorders that turn the gateway's
 * events into measurements, the request log lines, and the optional Anthropic Admin API collector.
 * Created before the areas it observes, so it closes after them: the ledger's last flush failures
 * reach the final OTLP push.
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { Lifecycle } from '../lifecycle.js';
import type { AnthropicSpend } from '../spend/spend-by-window.js';
import { createAnthropicReconciliation, type AnthropicReconciliation } from './admin-api-collector/anthropic-reconciliation.js';
import { createAdminApiClient } from './admin-api-collector/client.js';
import { createAdminApiCollector } from './admin-api-collector/collector.js';
import { createMetrics, otlpExporter, type Metrics } from './metrics.js';
import { createRecorders, type Recorders } from './recorders.js';
import { completedLogLine, upstreamErrorLogLine } from './request-log.js';

export interface Telemetry {
  readonly metrics: Metrics;
  readonly observe: Recorders;
  readonly logCompleted: ReturnType<typeof completedLogLine>;
  readonly logUpstreamError: ReturnType<typeof upstreamErrorLogLine>;
  /** The ledger beside Anthropic's bill per day; only with ANTHROPIC_ADMIN_API_KEY. */
  readonly anthropicReconciliation: AnthropicReconciliation | undefined;
}

export interface TelemetryDeps {
  readonly settings: Settings;
  readonly log: Logger;
  readonly lifecycle: Lifecycle;
  /** The kind of a live endpoint, to tell Bedrock throttling apart (answered by routing once it exists). */
  readonly endpointKind: (endpointId: string) => 'anthropic' | 'bedrock' | undefined;
  /** The ledger's Anthropic spend, which the Admin API collector compares with the provider's. */
  readonly anthropicSpend: AnthropicSpend;
}

export async function createTelemetry(deps: TelemetryDeps): Promise<Telemetry> {
  const { settings, log, lifecycle } = deps;
  const otlp = settings.otlpEndpoint ? await otlpExporter(settings.otlpEndpoint) : undefined;
  const metrics = lifecycle.owns('metrics', createMetrics({ otlpExporter: otlp, otlpIntervalMs: settings.otlpIntervalMs }), (m) => m.shutdown());
  // Optional (ANTHROPIC_ADMIN_API_KEY): the provider's own usage and cost, compared with the ledger.
  let anthropicReconciliation: AnthropicReconciliation | undefined;
  if (settings.anthropicAdminApiKey) {
    const client = createAdminApiClient({ baseUrl: settings.anthropicAdminApiUrl, apiKey: settings.anthropicAdminApiKey });
    anthropicReconciliation = createAnthropicReconciliation({ client, ledger: deps.anthropicSpend });
    const collector = createAdminApiCollector({
      client,
      ledger: deps.anthropicSpend,
      meter: metrics.meter,
      log,
      intervalMs: settings.adminApiCollectorIntervalMs,
    });
    collector.start();
    lifecycle.owns('Admin API collector', collector, (c) => c.stop());
  }
  return {
    metrics,
    observe: createRecorders(metrics.instruments, { endpointKind: deps.endpointKind }),
    logCompleted: completedLogLine(log),
    logUpstreamError: upstreamErrorLogLine(log),
    anthropicReconciliation,
  };
}
