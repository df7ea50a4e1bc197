/**
 * `npm run bench:analytics`: how fast the analytics API answers with a million ledger rows.
 *
 * For SQLite (a fresh file) and PostgreSQL (a fresh database on BENCH_POSTGRES_URL, dropped at
 * the end) it writes BENCH_ANALYTICS_ROWS ledger rows spread over BENCH_ANALYTICS_DAYS days up
 * to now through the real ledger sink in batches (so the rollups are built the way production
 * builds them), runs ANALYZE, then times each portal question BENCH_ANALYTICS_RUNS times after
 * two warm-ups, through the analytics service (the SQL and the folding in memory). Prints p50/p95
 * per question and dialect against the 300 ms target, and writes bench/results/analytics.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createAnalyticsService } from '../src/spend/analytics/analytics.service.js';
import { createLedgerSink } from '../src/spend/ledger-sink.js';
import { openStore, type Store } from '../src/store/database.js';
import { portalQueries } from './analytics-queries.js';
import { spreadLedger } from './analytics-rows.js';
import { gitCommit, machine, ms, table } from './report.js';
import { BENCH_POSTGRES_URL, KEEP, numberEnv, RESULTS_DIR } from './settings.js';

const ROWS = Math.round(numberEnv('BENCH_ANALYTICS_ROWS', 1_000_000, 1_000));
const DAYS = numberEnv('BENCH_ANALYTICS_DAYS', 45, 2);
const RUNS = Math.round(numberEnv('BENCH_ANALYTICS_RUNS', 50, 1));
/** 1,000 rows × 29 columns stays under SQLite's 32,766 bound parameters per statement. */
const BATCH = Math.round(numberEnv('BENCH_ANALYTICS_BATCH', 1_000, 1));
const DIALECTS = (process.env.BENCH_ANALYTICS_DB ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as Array<'sqlite' | 'postgres'>;
const TARGET_P95_MS = 300;
const ROLLUP_TABLES = [
  'analytics_hourly', 'analytics_daily', 'analytics_latency_hourly', 'analytics_latency_daily',
  'analytics_team_latency_hourly', 'analytics_team_latency_daily', 'analytics_tools_hourly', 'analytics_tools_daily',
] as const;

const log = (line: string): void => {
  process.stderr.write(`bench:analytics: ${line}\n`);
};
const silent = { info() {}, warn() {}, error() {} };

interface Opened {
  store: Store;
  cleanUp(): Promise<void>;
}

async function open(dialect: 'sqlite' | 'postgres'): Promise<Opened> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ccag-bench-analytics-'));
    const store = await openStore({ sqlitePath: join(dir, 'ccag.db') });
    return { store, cleanUp: async () => (KEEP ? log(`kept ${dir}`) : rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `ccag_bench_analytics_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  await admin(`create database ${name}`);
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), sqlitePath: '', poolSize: 4 });
  return { store, cleanUp: async () => (KEEP ? log(`kept database ${name}`) : admin(`drop database if exists ${name} with (force)`)) };
}

const percentile = (sorted: number[], p: number) => sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;

async function benchDialect(dialect: 'sqlite' | 'postgres', now: number) {
  const { store, cleanUp } = await open(dialect);
  try {
    await store.migrate();
    const spread = spreadLedger(ROWS, now - DAYS * 86_400_000, now);
    const sink = createLedgerSink({ db: store.db, timeoutMs: 120_000, log: silent, quarantine: async () => {} });
    const seedStart = performance.now();
    let written = 0;
    for (const batch of spread.batches(BATCH)) {
      const outcome = await sink.write(batch);
      if (outcome.left.length > 0) throw new Error(`${dialect}: rows left unwritten: ${String(outcome.error)}`);
      written += outcome.inserted;
      if (written % 100_000 < BATCH) log(`${dialect}: ${written.toLocaleString('en')} rows`);
    }
    const seedSeconds = (performance.now() - seedStart) / 1000;
    await sql`analyze`.execute(store.db);
    const tables: Record<string, number> = {};
    for (const name of ['spend_ledger', ...ROLLUP_TABLES] as const) {
      const row = await store.db.selectFrom(name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      tables[name] = Number(row.n);
    }
    log(`${dialect}: ${written.toLocaleString('en')} rows in ${seedSeconds.toFixed(1)} s; rollup rows ${JSON.stringify(tables)}`);

    const names = { userEmail: (id: string) => `${id}@example.com`, teamNames: async () => new Map(spread.teamIds.map((id) => [id, id])), endpointNames: async () => new Map(spread.endpointIds.map((id) => [id, id])) };
    const analytics = createAnalyticsService({ db: store.db, names });
    const busiest = spread.users[0]!;
    const queries = portalQueries(analytics, now, { userId: busiest.id, teamId: busiest.teamId ?? spread.teamIds[0]! });
    const timings: Record<string, { p50: number; p95: number }> = {};
    for (const query of queries) {
      for (let i = 0; i < 2; i++) await query.run();
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await query.run();
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      timings[query.name] = { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
    }
    return { written, seedSeconds, tables, timings };
  } finally {
    await store.close();
    await cleanUp();
  }
}

async function main(): Promise<number> {
  const now = Date.now();
  const results: Partial<Record<'sqlite' | 'postgres', Awaited<ReturnType<typeof benchDialect>>>> = {};
  for (const dialect of DIALECTS) results[dialect] = await benchDialect(dialect, now);
  const names = Object.keys(Object.values(results)[0]?.timings ?? {});
  const headers = ['Question', ...DIALECTS.flatMap((d) => [`${d} p50 ms`, `${d} p95 ms`])];
  const rows = names.map((name) => [name, ...DIALECTS.flatMap((d) => [ms(results[d]!.timings[name]!.p50), ms(results[d]!.timings[name]!.p95)])]);
  process.stdout.write(`\n${table(headers, rows, headers.map((_, i) => i > 0))}\n\n`);
  let failed = 0;
  for (const dialect of DIALECTS) {
    const result = results[dialect]!;
    const worst = Math.max(...Object.values(result.timings).map((t) => t.p95));
    failed += worst < TARGET_P95_MS ? 0 : 1;
    process.stdout.write(
      `${dialect}: seeded ${result.written.toLocaleString('en')} rows through the ledger sink in ${result.seedSeconds.toFixed(1)} s ` +
        `(${Math.round(result.written / result.seedSeconds).toLocaleString('en')} rows/s); worst p95 ${ms(worst)} ms: ${worst < TARGET_P95_MS ? 'PASS' : 'FAIL'} (target < ${TARGET_P95_MS} ms)\n`,
    );
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'analytics.json'), JSON.stringify({ commit: gitCommit(), machine: machine(), rows: ROWS, days: DAYS, runs: RUNS, batch: BATCH, results }, null, 2));
  return process.env.BENCH_STRICT === '1' && failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:analytics failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
