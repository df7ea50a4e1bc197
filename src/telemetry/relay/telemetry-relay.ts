/**
 * The telemetry relay (docs/telemetry-relay.md): OTLP batches from Claude Code, enriched with who
 * sent them and queued for each signal's collector. Deciding a batch's fate is all this does on
 * the request path; collectors are called from the queue, so the client's answer never waits for
 * one. Metrics are relayed by default once a URL is set; logs and traces only when switched on,
 * because Claude Code's events and spans can carry prompt text and tool input.
 */
import type { Logger } from 'pino';
import { Agent } from 'undici';
import type { Settings } from '../../config/settings.js';
import type { Principal } from '../../identity/authenticator.js';
import type { Lifecycle } from '../../lifecycle.js';
import type { Instruments } from '../instruments.js';
import { createCollectorClient, type CollectorTarget, type SendResult } from './collector-client.js';
import { ForwardQueue } from './forward-queue.js';
import type { DropReason } from './outcomes.js';
import { enrichPayload, type Payload, type Refused } from './payload.js';
import { resourceAttributesOf } from './resource-attributes.js';
import { CONTENT_TYPES, SIGNALS, type Signal } from './signals.js';
import { TEAM_NAMES_POLL_MS, TeamNames } from './team-names.js';

/**
 * How long a stopping gateway keeps sending what the queue holds. Telemetry is best effort and the
 * request drain before it may already have used most of an orchestrator's stop grace period, so a
 * slow collector gets 2 seconds (or the forward timeout, if shorter); the rest is counted as dropped.
 */
const SHUTDOWN_DRAIN_MS = 2_000;

type RelayInstruments = Pick<Instruments, 'relayReceived' | 'relayForwarded' | 'relayDropped' | 'relayForwardFailures' | 'relayQueueDepth'>;

export interface TelemetryRelayDeps {
  readonly settings: Settings;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  readonly instruments: RelayInstruments;
  /** Every team's name by id (read every 30 s, and early for a team not seen yet; never per batch). */
  readonly teamNames: () => Promise<ReadonlyMap<string, string>>;
}

export interface TelemetryRelay {
  /** The largest body (compressed or not) a batch may have: the queue's byte bound. */
  readonly maxBatchBytes: number;
  /** Takes a batch: queued, or dropped and counted (the client is answered 200 either way), or refused as unreadable. */
  relay(payload: Payload, principal: Principal): Promise<Refused | { readonly dropped: DropReason } | { readonly queued: true }>;
}

interface Batch {
  readonly signal: Signal;
  readonly target: CollectorTarget;
  readonly contentType: string;
  readonly bytes: Buffer;
}

function targetOf(settings: Settings, signal: Signal): CollectorTarget | DropReason {
  const per = {
    metrics: { on: settings.telemetryRelayMetrics, url: settings.telemetryRelayMetricsUrl, headers: settings.telemetryRelayMetricsHeaders },
    logs: { on: settings.telemetryRelayLogs, url: settings.telemetryRelayLogsUrl, headers: settings.telemetryRelayLogsHeaders },
    traces: { on: settings.telemetryRelayTraces, url: settings.telemetryRelayTracesUrl, headers: settings.telemetryRelayTracesHeaders },
  }[signal];
  if (!per.on) return 'disabled';
  if (!per.url) return 'not_configured';
  // A signal's own headers win over the shared ones, as OTEL_EXPORTER_OTLP_<SIGNAL>_HEADERS do.
  return { url: per.url, headers: { ...settings.telemetryRelayHeaders, ...per.headers } };
}

export async function createTelemetryRelay(deps: TelemetryRelayDeps): Promise<TelemetryRelay> {
  const { settings, lifecycle, log, instruments } = deps;
  const targets = new Map(SIGNALS.map((signal) => [signal, targetOf(settings, signal)] as const));
  const forwarding = [...targets.values()].some((target) => typeof target !== 'string');
  const teamNamesFailed = (error: unknown) => log.warn({ err: error }, 'telemetry relay team names refresh failed');
  // Nothing to enrich without a collector: then no team names are loaded.
  const teams = forwarding ? await lifecycle.polled('telemetry relay team names', new TeamNames(deps.teamNames, teamNamesFailed), TEAM_NAMES_POLL_MS) : undefined;
  const dispatcher = lifecycle.owns('telemetry relay connections', new Agent({ connections: settings.telemetryRelayConcurrency }), (agent) => agent.close());
  const sendToCollector = createCollectorClient({ dispatcher, timeoutMs: settings.telemetryRelayTimeoutMs });

  const drop = (signal: Signal, reason: DropReason) => instruments.relayDropped.add(1, { signal, reason });
  // One warning when a collector starts failing and one line when it recovers, not one per batch.
  const failing = new Set<Signal>();
  function account(batch: Batch, result: SendResult): void {
    if (result.sent) {
      instruments.relayForwarded.add(1, { signal: batch.signal });
      if (failing.delete(batch.signal)) log.info({ signal: batch.signal }, 'telemetry relay: collector accepts batches again');
    } else if (result.reason === 'shutdown') {
      drop(batch.signal, 'shutdown');
    } else {
      instruments.relayForwardFailures.add(1, { signal: batch.signal, reason: result.reason });
      if (!failing.has(batch.signal)) {
        failing.add(batch.signal);
        log.warn({ signal: batch.signal, collector: new URL(batch.target.url).host, reason: result.reason, status: result.status }, 'telemetry relay: collector failing; its batches are dropped until it recovers');
      }
    }
  }

  const queue = new ForwardQueue<Batch>({
    maxBatches: settings.telemetryRelayQueueMaxBatches,
    maxBytes: settings.telemetryRelayQueueMaxBytes,
    concurrency: settings.telemetryRelayConcurrency,
    send: async (batch, shutdown) => account(batch, await sendToCollector(batch.target, batch.contentType, batch.bytes, shutdown)),
    onAbandoned: (batch) => drop(batch.signal, 'shutdown'),
  });
  instruments.relayQueueDepth.addCallback((result) => result.observe(queue.depth));
  // Registered after the metrics, so it closes before them: the last drops reach the final OTLP push.
  lifecycle.owns('telemetry relay queue', queue, (q) => q.close(Math.min(SHUTDOWN_DRAIN_MS, settings.telemetryRelayTimeoutMs)));

  return {
    maxBatchBytes: settings.telemetryRelayQueueMaxBytes,
    async relay(payload, principal) {
      const { signal } = payload;
      instruments.relayReceived.add(1, { signal });
      const target = targets.get(signal)!;
      if (typeof target === 'string') {
        drop(signal, target);
        return { dropped: target };
      }
      // Checked before the work of decoding, so a backed-up collector costs the gateway nothing more.
      if (!queue.hasRoom(payload.body.length)) {
        drop(signal, 'queue_full');
        return { dropped: 'queue_full' };
      }
      const enriched = await enrichPayload(payload, resourceAttributesOf(principal, await teams?.nameOf(principal.teamId)), settings.telemetryRelayQueueMaxBytes);
      if ('refused' in enriched) {
        drop(signal, enriched.refused);
        return enriched;
      }
      if (!queue.offer({ signal, target, contentType: CONTENT_TYPES[payload.encoding], bytes: enriched.bytes })) {
        drop(signal, 'queue_full');
        return { dropped: 'queue_full' };
      }
      return { queued: true };
    },
  };
}
