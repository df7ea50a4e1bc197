/**
 * The analytics rollups agree with the ledger, to the micro-dollar, on both databases: after
 * batches with duplicate ids, a retried batch, a journal replay and a row written alone after a
 * data rejection; and the migrations' backfills build exactly what the live path built.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql, type Migration } from 'kysely';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createLedgerJournal } from '../../src/spend/ledger-journal.js';
import { replayJournalFiles } from '../../src/spend/ledger-replay.js';
import { createLedgerSink } from '../../src/spend/ledger-sink.js';
import { backfillRollups } from '../../src/spend/rollups/backfill.js';
import type { Store } from '../../src/store/database.js';
import * as m1 from '../../src/store/migrations/0001-initial.js';
import * as m2 from '../../src/store/migrations/0002-teams.js';
import * as m3 from '../../src/store/migrations/0003-admin-api-keys.js';
import * as m4 from '../../src/store/migrations/0004-single-sign-on.js';
import * as m5 from '../../src/store/migrations/0005-oauth-refresh-reuse.js';
import * as m6 from '../../src/store/migrations/0006-rate-limits.js';
import * as m7 from '../../src/store/migrations/0007-budgets.js';
import { openStore } from '../../src/store/database.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { seededRandom, spreadRows } from './rollup-rows.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5, 17, 30);
const ROLLUP_TABLES = [
  'analytics_hourly', 'analytics_daily', 'analytics_latency_hourly', 'analytics_latency_daily',
  'analytics_team_latency_hourly', 'analytics_team_latency_daily', 'analytics_tools_hourly', 'analytics_tools_daily',
] as const;

/** Per (user, model, UTC day): requests, errors, cost and tokens, straight from the ledger rows in SQL. */
async function ledgerByUserModelDay(store: Store) {
  const rows = await sql<Record<string, unknown>>`
    select coalesce(user_id, '') as user_id, model, created_at - (created_at % ${sql.lit(DAY)}) as day, count(*) as requests,
      sum(case when error_type is null then 0 else 1 end) as errors, sum(cost_micros) as cost_micros, sum(input_tokens) as input_tokens,
      sum(output_tokens) as output_tokens, sum(cache_read_tokens) as cache_read_tokens, sum(cache_write_5m_tokens + cache_write_1h_tokens) as cache_write_tokens
    from spend_ledger group by coalesce(user_id, ''), model, created_at - (created_at % ${sql.lit(DAY)})`.execute(store.db);
  return normalize(rows.rows);
}

async function rollupByUserModelDay(store: Store, table: 'analytics_hourly' | 'analytics_daily') {
  const rows = await sql<Record<string, unknown>>`
    select user_id, model, bucket_start - (bucket_start % ${sql.lit(DAY)}) as day, sum(requests) as requests, sum(errors) as errors,
      sum(cost_micros) as cost_micros, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
      sum(cache_read_tokens) as cache_read_tokens, sum(cache_write_5m_tokens + cache_write_1h_tokens) as cache_write_tokens
    from ${sql.table(table)} group by user_id, model, bucket_start - (bucket_start % ${sql.lit(DAY)})`.execute(store.db);
  return normalize(rows.rows);
}

/** Numbers as numbers (PostgreSQL hands NUMERIC sums over as strings), in a fixed order. */
function normalize(rows: Array<Record<string, unknown>>) {
  return rows
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) && k !== 'user_id' ? Number(v) : typeof v === 'bigint' ? Number(v) : v])))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Tool calls and failures per tool, counted from the ledger's lists. */
function toolsOfLedger(rows: SpendLedgerTable[]) {
  const counts: Record<string, { calls: number; errors: number }> = {};
  const add = (list: string | null, field: 'calls' | 'errors') => {
    for (const name of list?.split(',') ?? []) (counts[name] ??= { calls: 0, errors: 0 })[field] += 1;
  };
  for (const row of rows) {
    add(row.tool_names, 'calls');
    add(row.tool_errors, 'errors');
  }
  return counts;
}

async function toolsOfRollup(store: Store, table: 'analytics_tools_hourly' | 'analytics_tools_daily') {
  const rows = await store.db.selectFrom(table).select(['tool', 'calls', 'errors']).execute();
  const counts: Record<string, { calls: number; errors: number }> = {};
  for (const row of rows) {
    const into = (counts[row.tool] ??= { calls: 0, errors: 0 });
    into.calls += Number(row.calls);
    into.errors += Number(row.errors);
  }
  return counts;
}

/** Requests per team in the per-team duration histograms, and in the ledger. */
async function teamDurations(store: Store, table: 'analytics_team_latency_hourly' | 'analytics_team_latency_daily') {
  const rows = await store.db.selectFrom(table).select(['team_id', (eb) => eb.fn.sum<number>('count').as('n')]).where('metric', '=', 'duration').groupBy('team_id').orderBy('team_id').execute();
  return rows.map((row) => [row.team_id, Number(row.n)]);
}
const teamsOfLedger = (rows: SpendLedgerTable[]) => ['t1', 't2'].map((team) => [team, rows.filter((row) => row.team_id === team).length]);

async function snapshot(store: Store) {
  const tables: Record<string, unknown[]> = {};
  for (const table of ROLLUP_TABLES) tables[table] = normalize(await store.db.selectFrom(table).selectAll().execute() as Array<Record<string, unknown>>);
  return tables;
}

describe.each(databaseKinds)('analytics rollups (%s)', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  let journalDir: string | undefined;

  afterEach(async () => {
    await store?.close();
    await database?.drop();
    if (journalDir) rmSync(journalDir, { recursive: true, force: true });
    store = database = journalDir = undefined;
  });

  test('agree with the ledger after duplicates, a retried batch, a journal replay and an isolated row; the backfill builds the same', async (ctx) => {
    if (!(database = await createTestDatabase(kind))) return ctx.skip();
    store = await database.open();
    journalDir = mkdtempSync(join(tmpdir(), 'ccag-rollup-journal-'));
    const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const sink = createLedgerSink({ db: store.db, timeoutMs: 15_000, log, quarantine: vi.fn(async () => {}) });
    const random = seededRandom(7);
    const rows = spreadRows(1, 1200, START, 3 * DAY, random);

    // Batches, one holding a request id twice (the first row is the one recorded).
    expect((await sink.write(rows.slice(0, 400))).inserted).toBe(400);
    const withDuplicate = [...rows.slice(400, 700), { ...rows[450]!, cost_micros: 999_999_999 }];
    expect((await sink.write(withDuplicate)).inserted).toBe(300);
    // A batch retried after a timeout: already there, counted nothing more.
    expect((await sink.write(rows.slice(400, 700))).inserted).toBe(0);
    // A row the database refuses as data sends its batch down the one-row-at-a-time path.
    const isolated = [...rows.slice(700, 800)];
    isolated[10] = { ...isolated[10]!, streaming: true as unknown as number };
    expect((await sink.write(isolated)).inserted).toBe(100);
    // The journal: rows spilled during an outage, some of which had been written already.
    const journal = createLedgerJournal(journalDir);
    await journal.append(rows.slice(750, 1200));
    const replayed = await replayJournalFiles(journal, sink, 128);
    expect(replayed).toMatchObject({ complete: true, replayed: 450, inserted: 400 });

    const ledger = await store.db.selectFrom('spend_ledger').selectAll().execute();
    expect(ledger).toHaveLength(1200);
    const expected = await ledgerByUserModelDay(store);
    expect(await rollupByUserModelDay(store, 'analytics_daily')).toEqual(expected);
    expect(await rollupByUserModelDay(store, 'analytics_hourly')).toEqual(expected);
    expect(await toolsOfRollup(store, 'analytics_tools_daily')).toEqual(toolsOfLedger(ledger));
    expect(await toolsOfRollup(store, 'analytics_tools_hourly')).toEqual(toolsOfLedger(ledger));
    for (const table of ['analytics_latency_hourly', 'analytics_latency_daily'] as const) {
      const durations = await store.db.selectFrom(table).select((eb) => eb.fn.sum<number>('count').as('n')).where('metric', '=', 'duration').executeTakeFirstOrThrow();
      expect(Number(durations.n)).toBe(1200);
      const ttfts = await store.db.selectFrom(table).select((eb) => eb.fn.sum<number>('count').as('n')).where('metric', '=', 'ttft').executeTakeFirstOrThrow();
      expect(Number(ttfts.n)).toBe(ledger.filter((row) => row.ttft_ms !== null && row.status < 400).length);
    }
    for (const table of ['analytics_team_latency_hourly', 'analytics_team_latency_daily'] as const) {
      expect(await teamDurations(store, table)).toEqual(teamsOfLedger(ledger));
    }

    // The backfill, from the same ledger rows, builds the same rollups as the live path did.
    const live = await snapshot(store);
    for (const table of ROLLUP_TABLES) await store.db.deleteFrom(table).execute();
    expect(await backfillRollups(store.db, ['usage', 'latency', 'teamLatency', 'tools'], 97)).toBe(1200);
    expect(await snapshot(store)).toEqual(live);
  });

  test('the migration that adds the rollups fills them from the ledger rows already there', async (ctx) => {
    if (!(database = await createTestDatabase(kind))) return ctx.skip();
    // The database as the previous release left it: migrated up to 0007, with spend recorded.
    store = await openStore({ databaseUrl: database.databaseUrl, sqlitePath: database.sqlitePath, poolSize: 2 });
    const before: Record<string, Migration> = {
      '0001-initial': m1, '0002-teams': m2, '0003-admin-api-keys': m3, '0004-single-sign-on': m4,
      '0005-oauth-refresh-reuse': m5, '0006-rate-limits': m6, '0007-budgets': m7,
    };
    const { error } = await new Migrator({ db: store.db, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(error).toBeUndefined();
    const rows = spreadRows(1, 2500, START, 10 * DAY, seededRandom(11)).map(({ tool_errors: _, agent_id: _a, parent_agent_id: _p, billing_group: _b, ...row }) => row);
    for (let i = 0; i < rows.length; i += 500) await store.db.insertInto('spend_ledger').values(rows.slice(i, i + 500)).execute();

    await store.migrate();
    const expected = await ledgerByUserModelDay(store);
    expect(expected.length).toBeGreaterThan(100);
    expect(await rollupByUserModelDay(store, 'analytics_daily')).toEqual(expected);
    expect(await rollupByUserModelDay(store, 'analytics_hourly')).toEqual(expected);
    const ledger = await store.db.selectFrom('spend_ledger').selectAll().execute();
    expect(ledger.every((row) => row.tool_errors === null)).toBe(true);
    expect(await toolsOfRollup(store, 'analytics_tools_daily')).toEqual(toolsOfLedger(ledger));
    // 0009 fills the per-team histograms it adds.
    expect(await teamDurations(store, 'analytics_team_latency_hourly')).toEqual(teamsOfLedger(ledger));
  });
});
