/** One scenario's load result turned into a report row: throughput, latency, errors, CPU, memory. */
import type { LoadResult } from './loadgen.js';
import { coreBusy, type memoryOf } from './procfs.js';
import { mb } from './report.js';
import type { Row, Sample, Scenario } from './scenarios.js';
import { GATEWAY_CPU, LOAD_CPU } from './settings.js';

export interface Measured {
  result: LoadResult;
  start: Sample;
  end: Sample;
  rssSeries: number[];
}

export function rowOf(scenario: Scenario, bodyBytes: number, { result, start, end, rssSeries }: Measured, memory: ReturnType<typeof memoryOf>): Row {
  const m = result.measure;
  const w = result.warmup;
  const busy = coreBusy(start.cores, end.cores);
  const wall = (end.at - start.at) / 1000;
  const unanswered = result.sent - result.answered;
  const measuredAnswered = m.ok + m.non2xx + m.truncated;
  const ours = (after: number | undefined, before: number | undefined) => (after !== undefined && before !== undefined && wall > 0 ? (after - before) / wall : 0);
  // The process under test sits in the sample's `gateway` slot: the gateway, or the bare proxy.
  const underUse = ours(end.gateway, start.gateway);
  const underCores = scenario.target !== 'direct' && end.gateway !== undefined && start.gateway !== undefined && wall > 0 ? underUse : null;
  return {
    id: scenario.id,
    title: scenario.title,
    body: scenario.body,
    bodyBytes,
    target: scenario.target,
    connections: scenario.connections,
    reference: scenario.reference ?? false,
    requests: { warmup: w.sent, measured: m.sent, total: result.sent },
    seconds: m.seconds,
    requestsPerSecond: m.requestsPerSecond,
    latencyMs: m.latencyMs,
    addedLatencyMs: null,
    errors: {
      total: w.non2xx + w.truncated + m.non2xx + m.truncated + result.socketErrors + result.timeouts + Math.max(0, unanswered - result.socketErrors - result.timeouts),
      non2xx: w.non2xx + m.non2xx,
      socketErrors: result.socketErrors,
      timeouts: result.timeouts,
      truncatedStreams: w.truncated + m.truncated,
      unanswered,
      statusCodes: m.statusCodes,
    },
    gatewayCpu: underCores,
    gatewayCpuPerRequestUs: underCores !== null && measuredAnswered > 0 ? (underCores * wall * 1e6) / measuredAnswered : null,
    coreBusy: Object.fromEntries([GATEWAY_CPU, LOAD_CPU].map((core) => [String(core), busy[core] ?? 0])),
    otherLoad: {
      [String(GATEWAY_CPU)]: Math.max(0, (busy[GATEWAY_CPU] ?? 0) - underUse),
      [String(LOAD_CPU)]: Math.max(0, (busy[LOAD_CPU] ?? 0) - ours(end.mock, start.mock) - ours(end.loadgen, start.loadgen) - ours(end.self, start.self)),
    },
    gatewayPeakRssMb: mb(memory?.peakRss),
    gatewayRssMb: mb(memory?.rss),
    gatewayRssSeriesMb: rssSeries.map((bytes) => Math.round((mb(bytes) ?? NaN) * 10) / 10),
  };
}

/** A gateway row next to the bare proxy's row of the same body and concurrency. */
export interface RatioToBare {
  scenario: string;
  bare: string;
  /** Gateway req/s ÷ bare-proxy req/s. */
  throughput: number;
  /** Bare-proxy CPU per request ÷ gateway CPU per request (1 = as cheap as the bare proxy). */
  cpu: number | null;
  /** At concurrency 1: gateway p50 − bare-proxy p50, in ms. */
  addedP50OverBareMs: number | null;
}

export function ratiosToBare(rows: readonly Row[]): RatioToBare[] {
  return rows
    .filter((r) => r.target === 'gateway' || r.target === 'governed')
    .flatMap((r) => {
      const bare = rows.find((b) => b.target === 'bare' && b.body === r.body && b.connections === r.connections);
      if (!bare || bare.requestsPerSecond <= 0) return [];
      return [
        {
          scenario: r.id,
          bare: bare.id,
          throughput: r.requestsPerSecond / bare.requestsPerSecond,
          cpu: bare.gatewayCpuPerRequestUs !== null && r.gatewayCpuPerRequestUs ? bare.gatewayCpuPerRequestUs / r.gatewayCpuPerRequestUs : null,
          addedP50OverBareMs: r.connections === 1 ? r.latencyMs.p50 - bare.latencyMs.p50 : null,
        },
      ];
    });
}
