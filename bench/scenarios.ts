/** The scenarios, and one scenario's load with CPU and memory sampled around it. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult, LoadSpec, PhaseResult } from './loadgen.js';
import { coreBusy, coreTimes, cpuSecondsOf, memoryOf } from './procfs.js';
import { JsonLines, pinned, tail, track } from './children.js';
import { machine } from './report.js';
import { Gateway } from './services.js';
import { CONNECTIONS, GOVERNED, HERE, LOAD_CPU, ONLY, ROOT } from './settings.js';

/**
 * `governed`: the second gateway, with PostgreSQL, Redis, rate limits and a budget on (BENCH_GOVERNED=1).
 * `bare`: the bare-proxy reference (bench/reference/bare-proxy.mjs) on the gateway's core.
 */
export type Target = 'gateway' | 'direct' | 'governed' | 'bare';
export type BodyName = 'small' | 'claude-code-80k';

export interface Scenario {
  id: string;
  title: string;
  body: BodyName;
  target: Target;
  connections: number;
  /** Only for context: how fast the load core alone serves the mock. */
  reference?: boolean;
}

export interface Row {
  id: string;
  title: string;
  body: BodyName;
  bodyBytes: number;
  target: Target;
  connections: number;
  reference: boolean;
  requests: { warmup: number; measured: number; total: number };
  seconds: number;
  requestsPerSecond: number;
  latencyMs: PhaseResult['latencyMs'];
  addedLatencyMs: { p50: number; p99: number } | null;
  /** Over warm-up and measured phases: non-2xx, socket errors, timeouts, streams without message_stop, requests never answered. */
  errors: { total: number; non2xx: number; socketErrors: number; timeouts: number; truncatedStreams: number; unanswered: number; statusCodes: Record<string, number> };
  /** Gateway CPU time over the measured phase, in cores (1.0 = one core saturated). */
  gatewayCpu: number | null;
  /** Gateway CPU time per request answered in the measured phase, in microseconds. */
  gatewayCpuPerRequestUs: number | null;
  /** How busy each core was (0..1) over the measured phase. */
  coreBusy: Record<string, number>;
  /** Busy share of each core NOT used by the bench's own processes: other work on the machine. */
  otherLoad: Record<string, number>;
  gatewayPeakRssMb: number | null;
  gatewayRssMb: number | null;
  /** The gateway's RSS each second of the measured phase (a steady climb hints at a leak). */
  gatewayRssSeriesMb: number[];
}

export function scenarios(): Scenario[] {
  const all: Scenario[] = [
    { id: 'small-c1-direct', title: 'small stream, direct to mock', body: 'small', target: 'direct', connections: 1 },
    { id: 'small-c1-gateway', title: 'small stream, via gateway', body: 'small', target: 'gateway', connections: 1 },
    { id: 'small-c1-bare', title: 'small stream, via bare proxy', body: 'small', target: 'bare', connections: 1 },
    { id: `small-c${CONNECTIONS}-gateway`, title: 'small stream, via gateway', body: 'small', target: 'gateway', connections: CONNECTIONS },
    { id: `small-c${CONNECTIONS}-bare`, title: 'small stream, via bare proxy', body: 'small', target: 'bare', connections: CONNECTIONS },
    { id: `small-c${CONNECTIONS}-direct`, title: 'small stream, direct to mock', body: 'small', target: 'direct', connections: CONNECTIONS, reference: true },
    { id: 'cc80k-c1-direct', title: '80 KB Claude Code turn, direct', body: 'claude-code-80k', target: 'direct', connections: 1 },
    { id: 'cc80k-c1-gateway', title: '80 KB Claude Code turn, via gateway', body: 'claude-code-80k', target: 'gateway', connections: 1 },
    { id: 'cc80k-c1-bare', title: '80 KB Claude Code turn, via bare proxy', body: 'claude-code-80k', target: 'bare', connections: 1 },
    { id: `cc80k-c${CONNECTIONS}-gateway`, title: '80 KB Claude Code turn, via gateway', body: 'claude-code-80k', target: 'gateway', connections: CONNECTIONS },
    { id: `cc80k-c${CONNECTIONS}-bare`, title: '80 KB Claude Code turn, via bare proxy', body: 'claude-code-80k', target: 'bare', connections: CONNECTIONS },
    { id: `cc80k-c${CONNECTIONS}-direct`, title: '80 KB Claude Code turn, direct', body: 'claude-code-80k', target: 'direct', connections: CONNECTIONS, reference: true },
    ...(GOVERNED
      ? ([
          { id: 'small-c1-governed', title: 'small stream, via governed gateway', body: 'small', target: 'governed', connections: 1 },
          { id: `small-c${CONNECTIONS}-governed`, title: 'small stream, via governed gateway', body: 'small', target: 'governed', connections: CONNECTIONS },
          { id: `cc80k-c${CONNECTIONS}-governed`, title: '80 KB Claude Code turn, via governed gateway', body: 'claude-code-80k', target: 'governed', connections: CONNECTIONS },
        ] satisfies Scenario[])
      : []),
  ];
  if (ONLY.length === 0) return all;
  return all.filter((s) => ONLY.some((filter) => s.id.includes(filter)));
}

export interface Sample {
  at: number;
  /** CPU seconds used so far by the gateway, the mock, the load generator and this process. */
  gateway: number | undefined;
  mock: number | undefined;
  loadgen: number | undefined;
  self: number;
  cores: ReturnType<typeof coreTimes>;
}

export function sample(pids: { gateway: number; mock: number; loadgen: number }): Sample {
  const own = process.cpuUsage();
  return {
    at: performance.now(),
    gateway: cpuSecondsOf(pids.gateway),
    mock: cpuSecondsOf(pids.mock),
    loadgen: cpuSecondsOf(pids.loadgen),
    self: (own.user + own.system) / 1e6,
    cores: coreTimes(),
  };
}

/** Runs one scenario's load; samples CPU when the measured phase starts and ends. */
export async function runLoad(spec: LoadSpec, specFile: string, pids: { gateway: number; mock: number }): Promise<{ result: LoadResult; start: Sample; end: Sample; rssSeries: number[] }> {
  writeFileSync(specFile, JSON.stringify(spec));
  const err = { text: '' };
  const [command, args] = pinned(LOAD_CPU, [process.execPath, join(HERE, 'loadgen.js'), specFile]);
  const child = track(spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
  tail(err, child, 'stderr');
  const lines = new JsonLines(child, 'the load generator', () => err.text);
  const all = { ...pids, loadgen: child.pid! };
  const budget = (spec.warmupSeconds + spec.durationSeconds) * 1000 + 120_000;
  let start: Sample | undefined;
  let end: Sample | undefined;
  const rssSeries: number[] = [];
  const sampler = setInterval(() => {
    if (start && !end) rssSeries.push(memoryOf(pids.gateway)?.rss ?? NaN);
  }, 1_000);
  try {
    for (;;) {
      const message = await lines.next<{ event: string }>(budget);
      if (message.event === 'measure-start') start = sample(all);
      else if (message.event === 'measure-end') end = sample(all);
      else if (message.event === 'result') {
        end ??= sample(all);
        return { result: message as LoadResult, start: start ?? end, end, rssSeries };
      }
    }
  } finally {
    clearInterval(sampler);
    child.stdin!.end();
    if (child.exitCode === null && child.signalCode === null) await new Promise((done) => child.once('exit', done));
  }
}
