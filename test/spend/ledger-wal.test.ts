/**
 * The write-ahead journal on both databases: what a killed writer held in memory is replayed
 * exactly once by the next one, the file is emptied once its rows are durable elsewhere, a kill
 * between a flush and that truncation only re-inserts rows the ledger ignores, a torn tail is
 * skipped, and a live replica's file is replayed but never deleted. A "killed" writer is one that
 * is dropped without close(): its flush loop never runs again, as after kill -9.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createLedgerWriter, type LedgerWriter, type LedgerWriterOptions } from '../../src/spend/ledger-writer.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { databaseKinds } from '../support/databases.js';
import { harness, range, rowsIn, type Harness } from './ledger-harness.js';

/** Longer than any test: a dropped writer's loop must not run again while the test runs. */
const NEVER_MS = 1_000_000_000;

const walFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('wal-')).sort() : []);
const walRows = (dir: string) =>
  walFiles(dir).flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as SpendLedgerTable),
  );
const lines = (rows: SpendLedgerTable[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join('');
/** A journal file another process on this host left: `pid` decides whether its owner counts as alive. */
const foreignFile = (dir: string, pid: number) => join(dir, `wal-${hostname()}-${pid}-1700000000000-0a0b0c.jsonl`);
const costOf = (rows: SpendLedgerTable[]) => rows.reduce((sum, row) => sum + row.cost_micros, 0);

describe.each(databaseKinds)('spend write-ahead journal (%s)', (kind) => {
  let h: Harness | undefined;
  let walDir: string;
  const running: LedgerWriter[] = [];
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

  afterEach(async () => {
    for (const writer of running.splice(0)) await writer.close();
    await h?.close();
    h = undefined;
    rmSync(walDir, { recursive: true, force: true });
    vi.clearAllMocks();
  });

  async function setUp(): Promise<boolean> {
    walDir = mkdtempSync(join(tmpdir(), 'ccag-wal-'));
    h = await harness(kind);
    return h !== undefined;
  }

  /** A writer whose flush loop never runs on its own: the test flushes, closes or drops it. */
  function writer(options: Partial<LedgerWriterOptions> = {}, keep = true): LedgerWriter {
    const created = createLedgerWriter({ store: h!.store, journalDir: h!.journalDir, walDir, flushIntervalMs: NEVER_MS, log, ...options });
    if (keep) running.push(created);
    return created;
  }
  const killable = (options: Partial<LedgerWriterOptions> = {}) => writer(options, false);

  test('rows held in memory at a kill are replayed exactly once at the next start', async (ctx) => {
    if (!(await setUp())) return ctx.skip();
    const first = killable();
    for (const row of range(1, 3)) first.record(row);
    await first.flush();
    for (const row of range(4, 10)) first.record(row);
    // The flush emptied the file: it holds only what the database does not have yet.
    expect(walRows(walDir)).toEqual(range(4, 10));

    const next = writer();
    expect(await next.replayJournal()).toBe(7);
    const stored = await rowsIn(h!.store);
    console.log(`[wal ${kind}] flushed before the kill: 3, held in memory: 7, in the ledger after replay: ${stored.length}`);
    expect(stored).toEqual(range(1, 10));
    // The killed writer's file is gone (its pid is this process's, so its owner is dead); the new one's is empty.
    expect(walFiles(walDir)).toHaveLength(1);
    expect(walRows(walDir)).toEqual([]);
  });

  test('a kill between a flush and the truncation only re-inserts rows the ledger ignores', async (ctx) => {
    if (!(await setUp())) return ctx.skip();
    const w = writer();
    for (const row of range(1, 3)) w.record(row);
    await w.flush();
    // As if the previous run flushed rows 1–3 and was killed before truncating its file.
    writeFileSync(foreignFile(walDir, process.pid), lines(range(1, 5)));

    expect(await w.replayJournal()).toBe(5);
    const stored = await rowsIn(h!.store);
    expect(stored).toEqual(range(1, 5));
    expect(costOf(stored)).toBe(costOf(range(1, 5)));
    expect(w.stats.written).toBe(5);
    expect(existsSync(foreignFile(walDir, process.pid))).toBe(false);
  });

  test('a torn last line is skipped and the rows before it are replayed', async (ctx) => {
    if (!(await setUp())) return ctx.skip();
    writeFileSync(foreignFile(walDir, process.pid), `${lines(range(1, 2))}{"request_id":"req-torn","created_at":17`);
    const w = writer();
    expect(await w.replayJournal()).toBe(2);
    expect(await rowsIn(h!.store)).toEqual(range(1, 2));
  });

  test("a live replica's file is replayed (idempotently) but never deleted", async (ctx) => {
    if (!(await setUp())) return ctx.skip();
    // The test runner's parent process is alive on this host.
    const live = foreignFile(walDir, process.ppid);
    writeFileSync(live, lines(range(1, 2)));
    const w = writer();
    expect(await w.replayJournal()).toBe(2);
    expect(await rowsIn(h!.store)).toEqual(range(1, 2));
    expect(existsSync(live)).toBe(true);
    // Claimed once per process, not at every replay.
    expect(await w.replayJournal()).toBe(0);
  });

  test('a kill during a database outage loses neither buffered nor spilled rows', async (ctx) => {
    if (!(await setUp())) return ctx.skip();
    const first = killable({ maxBuffered: 3 });
    for (const row of range(1, 2)) first.record(row);
    await first.flush();

    await h!.outage();
    // The fourth waiting row crosses maxBuffered: rows 3–6 spill to the fsync'd journal, which
    // leaves nothing in memory, so the write-ahead file is emptied.
    for (const row of range(3, 6)) first.record(row);
    await first.flush();
    expect(first.stats).toMatchObject({ buffered: 0, journaled: 4 });
    expect(walRows(walDir)).toEqual([]);
    // Rows 7–9 are then only in memory and in the write-ahead file.
    for (const row of range(7, 9)) first.record(row);
    await first.flush();
    expect(first.stats).toMatchObject({ buffered: 3, journaled: 4 });
    expect(walRows(walDir)).toEqual(range(7, 9));

    h!.recover();
    const next = writer();
    expect(await next.replayJournal()).toBe(7);
    const stored = await rowsIn(h!.store);
    console.log(`[wal ${kind}] outage: flushed 2, spilled 4, in memory only 3 at the kill; in the ledger after replay: ${stored.length}`);
    expect(stored).toEqual(range(1, 9));
  });

  test('a clean close removes its file; without a directory there is no journal', async (ctx) => {
    if (!(await setUp())) return ctx.skip();
    const w = createLedgerWriter({ store: h!.store, journalDir: h!.journalDir, walDir, flushIntervalMs: NEVER_MS, log });
    w.record(range(1, 1)[0]!);
    expect(walFiles(walDir)).toHaveLength(1);
    await w.close();
    expect(walFiles(walDir)).toEqual([]);

    const off = writer({ walDir: undefined });
    off.record(range(2, 2)[0]!);
    await off.flush();
    expect(walFiles(walDir)).toEqual([]);
    expect(await rowsIn(h!.store)).toEqual(range(1, 2));
  });
});
