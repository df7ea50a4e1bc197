/**
 * `npm run bench`: the gateway's overhead and capacity on one core.
 *
 *   core 0 (BENCH_GATEWAY_CPU)  `ccag serve` — the compiled CLI, keys and ledger on, SQLite
 *   core 1 (BENCH_LOAD_CPU)     the mock Anthropic upstream, autocannon, and this orchestrator
 *
 * Each scenario drives the same request through the gateway and directly at the mock with the
 * same load-generator settings; the difference at concurrency 1 is the latency the gateway adds.
 * Results go to the terminal (a table and the targets with PASS/FAIL) and to
 * bench/results/latest.json. See docs/benchmarks.md.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildClaudeCodeBody, CLAUDE_CODE_HEADERS, SMALL_BODY } from './bodies.js';
import { summarizeProfile, type ProfileSummary } from './cpu-profile.js';
import { coreBusy, coreTimes, memoryOf } from './procfs.js';
import { killAll, removeOnExit, removeWorkDir } from './children.js';
import { rowOf } from './measure.js';
import { mb, ms, pct } from './report.js';
import { BodyName, Row, Target, runLoad, scenarios } from './scenarios.js';
import { startGoverned } from './governed.js';
import { createVirtualKey, preflight, smokeTest, startBareProxy, startGateway, startMock, type Gateway } from './services.js';
import { CONNECTIONS, CPU_PROF, DURATION, GATEWAY_CPU, KEEP, LOAD_CPU, RESULTS_DIR, WAIT_IDLE, WARMUP } from './settings.js';
import { report, type RunFacts } from './summary.js';

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  preflight();
  const workDir = mkdtempSync(join(tmpdir(), 'ccag-bench-'));
  removeOnExit(workDir);
  const profileDir = CPU_PROF ? join(RESULTS_DIR, 'profiles', new Date().toISOString().replace(/[:.]/g, '-')) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  try {
    return await bench(workDir, profileDir);
  } finally {
    killAll();
    if (KEEP) process.stderr.write(`bench: kept the work directory ${workDir}\n`);
    else {
      // The gateway may still be writing for a moment after SIGKILL; removal is retried on exit.
      await new Promise((done) => setTimeout(done, 100));
      removeWorkDir();
    }
  }
}

let idleBudgetMs = WAIT_IDLE * 1000;

/**
 * With BENCH_WAIT_IDLE set, waits before each scenario until both benchmark cores have been
 * nearly idle (under 15% busy, the bench's own idle processes included) for two 2-second
 * windows in a row. All waits together last at most BENCH_WAIT_IDLE seconds.
 */
async function waitForIdle(label: string): Promise<void> {
  if (idleBudgetMs <= 0) return;
  const started = Date.now();
  let quiet = 0;
  let announced = false;
  while (Date.now() - started < idleBudgetMs) {
    const before = coreTimes();
    await new Promise((done) => setTimeout(done, 2_000));
    const busy = coreBusy(before, coreTimes());
    if (Math.max(busy[GATEWAY_CPU] ?? 0, busy[LOAD_CPU] ?? 0) < 0.15) {
      quiet += 1;
      if (quiet >= 2) break;
      continue;
    }
    quiet = 0;
    if (!announced) process.stderr.write(`bench: ${label}: waiting for other processes to leave the cores (${pct(busy[GATEWAY_CPU])}/${pct(busy[LOAD_CPU])} busy)\n`);
    announced = true;
  }
  idleBudgetMs -= Date.now() - started;
  if (idleBudgetMs <= 0) process.stderr.write('bench: BENCH_WAIT_IDLE used up; running the rest without waiting\n');
}

async function bench(workDir: string, profileDir: string | undefined): Promise<number> {
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const bodies: Record<BodyName, string> = { small: SMALL_BODY, 'claude-code-80k': buildClaudeCodeBody() };
  const bodyFiles = {} as Record<BodyName, string>;
  for (const [name, text] of Object.entries(bodies) as Array<[BodyName, string]>) {
    bodyFiles[name] = join(workDir, `${name}.json`);
    writeFileSync(bodyFiles[name], text);
  }

  const list = scenarios();
  process.stderr.write(
    `bench: ${list.length} scenarios, ~${DURATION} s measured after ~${WARMUP} s warm-up each, ${CONNECTIONS} connections at high concurrency; ` +
      `gateway on core ${GATEWAY_CPU}, mock + load on core ${LOAD_CPU}${CPU_PROF ? ' (CPU profiling ON: figures are not representative)' : ''}\n`,
  );

  const mock = await startMock();
  const gateway = await startGateway(mock, workDir, profileDir);
  const startupRss = memoryOf(gateway.pid);
  const key = await createVirtualKey(gateway.url);
  const governed = list.some((scenario) => scenario.target === 'governed') ? await startGoverned(mock, workDir, profileDir && join(profileDir, 'governed')) : undefined;
  const bare = list.some((scenario) => scenario.target === 'bare') ? await startBareProxy(mock) : undefined;
  /** The process a target's requests go through (the mock itself for `direct`). */
  const under = (target: Exclude<Target, 'direct'>): Gateway => (target === 'governed' ? governed!.gateway : target === 'bare' ? bare! : gateway);

  const headersFor = (target: Target): Record<string, string> => ({
    ...CLAUDE_CODE_HEADERS,
    'x-api-key': target === 'gateway' ? key : target === 'governed' ? governed!.key : mock.apiKey,
  });
  const urlFor = (target: Target) => (target === 'direct' ? mock.url : under(target).url);

  const sent: Record<Target, number> = { gateway: 0, direct: 0, governed: 0, bare: 0 };
  const targets: Target[] = ['gateway', 'direct', ...(governed ? (['governed'] as const) : []), ...(bare ? (['bare'] as const) : [])];
  for (const target of targets) {
    await smokeTest(urlFor(target), headersFor(target), SMALL_BODY, target === 'direct' ? 'directly to the mock' : `through the ${target === 'bare' ? 'bare proxy' : `${target} gateway`}`);
    sent[target] += 1;
  }

  const rows: Row[] = [];
  for (const [index, scenario] of list.entries()) {
    await waitForIdle(scenario.id);
    process.stderr.write(`bench: [${index + 1}/${list.length}] ${scenario.id} ...`);
    const process_ = scenario.target === 'direct' ? gateway : under(scenario.target);
    if (process_.child.exitCode !== null || process_.child.signalCode !== null) throw new Error(`${scenario.target} died:\n${process_.output.text}`);
    const measured = await runLoad(
      {
        url: `${urlFor(scenario.target)}/v1/messages`,
        headers: headersFor(scenario.target),
        bodyFile: bodyFiles[scenario.body],
        connections: scenario.connections,
        warmupSeconds: WARMUP,
        durationSeconds: DURATION,
      },
      join(workDir, `${scenario.id}.spec.json`),
      { gateway: process_.pid, mock: mock.pid },
    );
    sent[scenario.target] += measured.result.sent;
    // A direct run has no process of ours in the path: no memory figure.
    const row = rowOf(scenario, Buffer.byteLength(bodies[scenario.body]), measured, scenario.target === 'direct' ? undefined : memoryOf(process_.pid));
    rows.push(row);
    const busy = row.coreBusy;
    process.stderr.write(
      ` ${Math.round(row.requestsPerSecond)} req/s, p50 ${ms(row.latencyMs.p50)} ms, p99 ${ms(row.latencyMs.p99)} ms, ${row.errors.total} errors, core${GATEWAY_CPU} ${pct(busy[String(GATEWAY_CPU)])} core${LOAD_CPU} ${pct(busy[String(LOAD_CPU)])}\n`,
    );
  }

  // Added latency: a figure minus the direct figure of the same body at concurrency 1.
  for (const row of rows) {
    if (row.target === 'direct' || row.connections !== 1) continue;
    const direct = rows.find((r) => r.target === 'direct' && r.body === row.body && r.connections === 1);
    if (direct) row.addedLatencyMs = { p50: row.latencyMs.p50 - direct.latencyMs.p50, p99: row.latencyMs.p99 - direct.latencyMs.p99 };
  }

  bare?.child.kill('SIGTERM');
  // Stop the gateway the way an operator does: SIGTERM drains and flushes the ledger.
  const peakBeforeStop = memoryOf(gateway.pid);
  const stopStarted = Date.now();
  gateway.child.kill('SIGTERM');
  const stopped = await Promise.race([gateway.exited, new Promise<null>((done) => setTimeout(() => done(null), 60_000))]);
  if (stopped === null) gateway.child.kill('SIGKILL');
  const stopMs = Date.now() - stopStarted;

  let governedLedgerRows: number | null = null;
  if (governed) {
    governed.gateway.child.kill('SIGTERM');
    const governedStopped = await Promise.race([governed.gateway.exited, new Promise<null>((done) => setTimeout(() => done(null), 60_000))]);
    if (governedStopped === null) governed.gateway.child.kill('SIGKILL');
    governedLedgerRows = await governed.ledgerRows();
    await governed.cleanUp();
  }

  const mockStats = await mock.stats().catch(() => null);
  mock.child.kill('SIGTERM');

  const profileIn = (dir: string | undefined): ProfileSummary | null => {
    const file = dir && existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
    return dir && file ? summarizeProfile(join(dir, file)) : null;
  };
  return report({
    loadBefore,
    bodies,
    rows,
    sent,
    startupRssMb: mb(startupRss?.rss),
    peakBeforeStopMb: mb(peakBeforeStop?.peakRss),
    stop: { ms: stopMs, exit: stopped },
    ledger: countLedger(gateway.dataDir),
    governedLedgerRows,
    mock: mockStats,
    profile: profileIn(profileDir),
    governedProfile: profileIn(profileDir && join(profileDir, 'governed')),
  });
}

/** The plain gateway's ledger, read from its SQLite file after it stopped. */
function countLedger(dataDir: string): RunFacts['ledger'] {
  const journalDir = join(dataDir, 'journal');
  // Files only, the write-ahead journal's subdirectory included (a directory's own size is not rows).
  const journalBytes = existsSync(journalDir)
    ? readdirSync(journalDir, { recursive: true, encoding: 'utf8' }).reduce((sum, f) => {
        const stat = statSync(join(journalDir, f));
        return stat.isFile() ? sum + stat.size : sum;
      }, 0)
    : 0;
  try {
    const db = new Database(join(dataDir, 'ccag.db'), { readonly: true, fileMustExist: true });
    try {
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM spend_ledger').get() as { n: number }).n;
      const byStatus = Object.fromEntries(
        (db.prepare('SELECT status, COUNT(*) AS n FROM spend_ledger GROUP BY status').all() as Array<{ status: number; n: number }>).map((r) => [String(r.status), r.n]),
      );
      return { rows, byStatus, error: null, journalBytes };
    } finally {
      db.close();
    }
  } catch (error) {
    return { rows: null, byStatus: {}, error: (error as Error).message, journalBytes };
  }
}

main().then(
  (code) => {
    killAll();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`\nbench failed: ${(error as Error).stack ?? String(error)}\n`);
    killAll();
    process.exit(1);
  },
);
