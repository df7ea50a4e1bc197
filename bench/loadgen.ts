/**
 * The load generator, as its own process (pinned to the load core): autocannon's programmatic
 * API, with every response time recorded at full precision (autocannon's own histogram rounds
 * to whole milliseconds, too coarse for "added latency ≤ 1 ms").
 *
 * One autocannon run per scenario, on connections that stay open throughout:
 *
 *   warm-up   BENCH_WARMUP seconds, and at least until every connection has had a response
 *             (opening 64 connections against a busy Node server takes a while: libuv accepts
 *             one connection per event-loop turn, so the first requests of a burst queue in
 *             the accept backlog — not what a gateway serving long-lived Claude Code
 *             connections sees, so it is kept out of the figures);
 *   measured  BENCH_DURATION seconds;
 *   drain     each connection stops after its in-flight request answers.
 *
 * Stopping this way, never by cutting connections when time is up, means every request sent got
 * its full answer, so the number of requests sent is exact and the gateway's ledger must hold
 * exactly that many rows.
 *
 * Protocol: argv[2] is a JSON file holding a LoadSpec. Stdout carries JSON lines: `measure-start`
 * and `measure-end` (the bench samples CPU time and memory at each), then `result`. The process
 * exits when stdin closes (the bench died).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  bodyFile: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface PhaseResult {
  /** Requests sent in this phase. */
  sent: number;
  /** 2xx responses whose stream reached message_stop. */
  ok: number;
  non2xx: number;
  /** 2xx responses whose stream did not end with message_stop. */
  truncated: number;
  statusCodes: Record<string, number>;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

export interface LoadResult {
  event: 'result';
  warmup: PhaseResult;
  measure: PhaseResult;
  /** Socket errors and timeouts over the whole run (autocannon does not say which phase). */
  socketErrors: number;
  timeouts: number;
  /** Every request this process sent. */
  sent: number;
  /** Requests that got a complete response (any status). */
  answered: number;
}

interface Client {
  reqsMade: number;
  responseMax: number | undefined;
  destroyed: boolean;
  on(event: 'done', listener: () => void): void;
}

class Phase {
  readonly latencies: number[] = [];
  readonly statusCodes: Record<string, number> = {};
  ok = 0;
  non2xx = 0;
  truncated = 0;
  sentAtStart = 0;
  startedAt = 0;
  lastAt = 0;

  record(statusCode: number, responseTime: number, complete: boolean, now: number): void {
    this.lastAt = now;
    this.statusCodes[statusCode] = (this.statusCodes[statusCode] ?? 0) + 1;
    if (statusCode < 200 || statusCode >= 300) this.non2xx += 1;
    else if (!complete) this.truncated += 1;
    else {
      this.ok += 1;
      this.latencies.push(responseTime);
    }
  }

  result(sent: number): PhaseResult {
    const sorted = Float64Array.from(this.latencies).sort();
    const at = (p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
    const seconds = Math.max(1e-9, (this.lastAt - this.startedAt) / 1000);
    const answered = this.ok + this.non2xx + this.truncated;
    return {
      sent,
      ok: this.ok,
      non2xx: this.non2xx,
      truncated: this.truncated,
      statusCodes: this.statusCodes,
      seconds,
      requestsPerSecond: answered / seconds,
      latencyMs: {
        p50: at(50),
        p90: at(90),
        p99: at(99),
        max: sorted.length > 0 ? sorted[sorted.length - 1]! : NaN,
        mean: sorted.length > 0 ? sorted.reduce((sum, value) => sum + value, 0) / sorted.length : NaN,
      },
    };
  }
}

const emit = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

function main(): void {
  const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
  const body = readFileSync(spec.bodyFile, 'utf8');
  const clients: Client[] = [];
  const answeredBy = new Map<Client, number>();
  const warmup = new Phase();
  const measure = new Phase();
  let phase: Phase = warmup;
  let measureEndsAt = Infinity;
  let draining = false;
  let ended = false;
  const sentSoFar = () => clients.reduce((sum, client) => sum + client.reqsMade, 0);

  const startMeasuring = (now: number) => {
    measure.sentAtStart = sentSoFar();
    measure.startedAt = now;
    measure.lastAt = now;
    warmup.lastAt = now;
    phase = measure;
    measureEndsAt = now + spec.durationSeconds * 1000;
    emit({ event: 'measure-start' });
    // Also on a timer: a gateway that stopped answering must not keep the run going.
    setTimeout(drain, spec.durationSeconds * 1000 + 50).unref();
  };
  const drain = () => {
    if (draining) return;
    draining = true;
    // Each connection sends nothing more and closes once its in-flight request has answered.
    for (const client of clients) client.responseMax = Math.max(1, client.reqsMade);
  };
  const onClientDone = () => {
    if (ended || !clients.every((client) => client.destroyed)) return;
    ended = true;
    emit({ event: 'measure-end' });
  };

  warmup.startedAt = performance.now();
  const warmupEndsAt = warmup.startedAt + spec.warmupSeconds * 1000;
  const verifier = { check: (_text: string) => true };
  // A connection that never answers (a hung gateway) must not hold the warm-up forever.
  setTimeout(() => {
    if (phase === warmup) startMeasuring(performance.now());
  }, spec.warmupSeconds * 1000 + 30_000).unref();
  const instance = autocannon(
    {
      url: spec.url,
      method: 'POST',
      headers: spec.headers,
      body,
      connections: spec.connections,
      pipelining: 1,
      // Only a safety net: the run ends by draining (above), long before this.
      duration: spec.warmupSeconds + spec.durationSeconds + 600,
      timeout: 30,
      verifyBody: (text: string) => verifier.check(text),
      setupClient: (client: Client) => {
        clients.push(client);
        client.on('done', () => setImmediate(onClientDone));
      },
    },
    (error, result) => {
      if (error) throw error;
      if (phase === warmup) startMeasuring(performance.now()); // never reached the measured phase
      const sent = sentSoFar();
      const answered = [warmup, measure].reduce((sum, p) => sum + p.ok + p.non2xx + p.truncated, 0);
      const load: LoadResult = {
        event: 'result',
        warmup: warmup.result(measure.sentAtStart),
        measure: measure.result(sent - measure.sentAtStart),
        socketErrors: result.errors - result.timeouts,
        timeouts: result.timeouts,
        sent,
        answered,
      };
      emit(load);
      process.exit(0);
    },
  );
  // autocannon calls verifyBody right after the response event of the same response, on the same
  // tick: the event gives status and time, verifyBody the body; record once both are known.
  let pending: { client: Client; statusCode: number; responseTime: number; now: number } | undefined;
  verifier.check = (text) => {
    const response = pending;
    pending = undefined;
    if (!response) return true;
    answeredBy.set(response.client, (answeredBy.get(response.client) ?? 0) + 1);
    phase.record(response.statusCode, response.responseTime, text.includes('event: message_stop'), response.now);
    if (phase === warmup && response.now >= warmupEndsAt && answeredBy.size >= spec.connections) startMeasuring(response.now);
    else if (phase === measure && response.now >= measureEndsAt) drain();
    return true;
  };
  instance.on('response', (client, statusCode, _bytes, responseTime) => {
    pending = { client: client as Client, statusCode, responseTime, now: performance.now() };
  });
}

process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(2));
process.stdin.on('close', () => process.exit(2));

try {
  main();
} catch (error) {
  process.stderr.write(`loadgen: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
