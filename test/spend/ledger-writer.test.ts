/**
 * The ledger writer on both databases: batches, duplicates, an outage (PostgreSQL cut behind a TCP
 * proxy, SQLite locked by a second connection holding BEGIN EXCLUSIVE), the journal and its
 * replay, and rows the database refuses as data.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createLedgerWriter, type LedgerWriter, type LedgerWriterOptions } from '../../src/spend/ledger-writer.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { databaseKinds } from '../support/databases.js';
import { countIn, harness, range, rowsIn, until, type Harness } from './ledger-harness.js';
import { ledgerRow } from './ledger-rows.js';

const journalFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('spend-journal')) : []);
const journalLines = (dir: string) => journalFiles(dir).flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean));

describe.each(databaseKinds)('ledger writer (%s)', (kind) => {
  let h: Harness | undefined;
  const writers: LedgerWriter[] = [];
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

  afterEach(async () => {
    for (const writer of writers.splice(0)) await writer.close();
    await h?.close();
    h = undefined;
    vi.clearAllMocks();
  });

  function writer(options: Partial<LedgerWriterOptions> = {}): LedgerWriter {
    const created = createLedgerWriter({ store: h!.store, journalDir: h!.journalDir, flushIntervalMs: 60_000, log, ...options });
    writers.push(created);
    return created;
  }

  test('batches rows and stores them exactly', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const w = writer({ batchSize: 500 });
    const rows = range(1, 1234);
    rows[6] = ledgerRow(7, { tool_names: 'Bash,mcp__github__search', ttft_ms: 321, team_id: 'team-1', web_searches: 2, usage_estimated: 1 });
    for (const row of rows) w.record(row);
    expect(w.stats.buffered).toBe(1234);
    await w.flush();
    expect(await rowsIn(h.store)).toEqual(rows);
    expect({ ...w.stats }).toEqual({ buffered: 0, journaled: 0, written: 1234, quarantined: 0, flushErrors: 0 });
  });

  test('a request id is recorded once, within a batch and across batches', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const w = writer();
    w.record(ledgerRow(1));
    w.record(ledgerRow(2));
    w.record(ledgerRow(1, { output_tokens: 99 }));
    await w.flush();
    w.record(ledgerRow(2, { output_tokens: 99 }));
    w.record(ledgerRow(3));
    await w.flush();
    expect(await rowsIn(h.store)).toEqual(range(1, 3));
    expect(w.stats.written).toBe(3);
  });

  test('an outage keeps rows, spills past maxBuffered to the journal, and replays once the database answers', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const onFlushError = vi.fn();
    const w = writer({ maxBuffered: 5, batchSize: 3, onFlushError });
    for (const row of range(1, 2)) w.record(row);
    await w.flush();
    expect(w.stats.written).toBe(2);

    await h.outage();
    // The sixth waiting row crosses maxBuffered: those six go to the journal, the last two wait.
    for (const row of range(3, 10)) w.record(row);
    await w.flush();
    expect({ ...w.stats }).toEqual({ buffered: 2, journaled: 6, written: 2, quarantined: 0, flushErrors: 1 });
    expect(onFlushError).toHaveBeenCalledTimes(1);
    expect(journalLines(h.journalDir).map((line) => JSON.parse(line))).toEqual(range(3, 8));

    h.recover();
    await w.flush();
    expect(await rowsIn(h.store)).toEqual(range(1, 10));
    expect({ ...w.stats }).toEqual({ buffered: 0, journaled: 6, written: 10, quarantined: 0, flushErrors: 1 });
    expect(journalFiles(h.journalDir)).toEqual([]);
  });

  test('the flush loop replays the journal by itself when the database comes back', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const w = writer({ flushIntervalMs: 20, maxBuffered: 3 });
    await h.outage();
    for (const row of range(1, 5)) w.record(row);
    await until(async () => w.stats.flushErrors >= 2);
    expect(w.stats.journaled).toBe(4);
    h.recover();
    await until(async () => (await countIn(h!.store)) === 5);
    expect(await rowsIn(h.store)).toEqual(range(1, 5));
    await until(async () => journalFiles(h!.journalDir).length === 0);
  });

  test('close during an outage journals everything; the next start replays it exactly once', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const first = writer();
    first.record(ledgerRow(1));
    await first.flush();
    await h.outage();
    // Row 1 again: journaled although already recorded, and still counted once.
    for (const row of [ledgerRow(1), ...range(2, 4)]) first.record(row);
    await first.close();
    expect(first.stats).toMatchObject({ buffered: 0, journaled: 4, written: 1 });
    // A crash mid-append leaves a torn last line.
    appendFileSync(join(h.journalDir, 'spend-journal.jsonl'), '{"request_id":"req-torn","created_at":17');
    h.recover();

    const next = writer();
    expect(await next.replayJournal()).toBe(4);
    expect(await rowsIn(h.store)).toEqual(range(1, 4));
    expect(next.stats.written).toBe(3);
    expect(journalFiles(h.journalDir)).toEqual([]);
    expect(await next.replayJournal()).toBe(0);
  });

  test('attribution columns survive the journal; a row journaled before they existed replays with them empty', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const first = writer();
    await h.outage();
    const attributed = ledgerRow(1, { session_id: 'sess-1', agent_id: 'agent-7', parent_agent_id: 'main', billing_group: 'team-a/proj' });
    first.record(attributed);
    await first.close();
    // What a gateway before migration 0015 journaled: no attribution keys at all.
    const { agent_id: _a, parent_agent_id: _p, billing_group: _b, ...older } = ledgerRow(2);
    appendFileSync(join(h.journalDir, 'spend-journal.jsonl'), `${JSON.stringify(older)}\n`);
    h.recover();
    expect(await writer().replayJournal()).toBe(2);
    expect(await rowsIn(h.store)).toEqual([attributed, ledgerRow(2)]);
  });

  test('rows spilled after a torn line are not lost', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const w = writer({ maxBuffered: 1 });
    await h.outage();
    appendFileSync(join(h.journalDir, 'spend-journal.jsonl'), '{"request_id":"req-torn"');
    for (const row of range(1, 2)) w.record(row);
    await w.flush();
    expect(w.stats.journaled).toBe(2);
    h.recover();
    await w.flush();
    expect(await rowsIn(h.store)).toEqual(range(1, 2));
  });

  test('an unrepairable row is quarantined and counted while the rest of its batch is written', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    // A constraint no repair can satisfy.
    if (kind === 'sqlite') {
      await sql.raw(`CREATE TRIGGER poison BEFORE INSERT ON spend_ledger WHEN NEW.model = 'poison' BEGIN SELECT RAISE(ABORT, 'poison row'); END`).execute(h.store.db);
    } else {
      await sql.raw(`ALTER TABLE spend_ledger ADD CONSTRAINT poison CHECK (model <> 'poison')`).execute(h.store.db);
    }
    const onQuarantine = vi.fn();
    const w = writer({ onQuarantine });
    const rows = range(1, 5);
    rows[2] = ledgerRow(3, { model: 'poison' });
    for (const row of rows) w.record(row);
    await w.flush();

    expect((await rowsIn(h.store)).map((row) => row.request_id)).toEqual(['req-000001', 'req-000002', 'req-000004', 'req-000005']);
    expect({ ...w.stats }).toEqual({ buffered: 0, journaled: 0, written: 4, quarantined: 1, flushErrors: 0 });
    expect(onQuarantine).toHaveBeenCalledExactlyOnceWith(1);
    const quarantined = readFileSync(join(h.journalDir, 'quarantine.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({ row: rows[2], code: kind === 'sqlite' ? 'SQLITE_CONSTRAINT_TRIGGER' : '23514' });
  });

  test('a row the database refuses as data is repaired and written with its batch', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const w = writer();
    // A boolean: better-sqlite3 cannot bind it, PostgreSQL cannot read "true" as an integer.
    w.record(ledgerRow(1));
    w.record(ledgerRow(2, { streaming: true as unknown as number }));
    w.record(ledgerRow(3));
    await w.flush();
    expect(await rowsIn(h.store)).toEqual(range(1, 3));
    expect(w.stats).toMatchObject({ written: 3, quarantined: 0 });
  });

  test.runIf(kind === 'postgres')('PostgreSQL: a NUL byte and an over-long indexed string are repaired', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const w = writer();
    const longUser = randomBytes(15_000).toString('base64');
    const rows: SpendLedgerTable[] = [
      ledgerRow(1),
      ledgerRow(2, { model: 'claude-sonnet-4-5\u0000', session_id: 'abc\u0000def' }),
      ledgerRow(3, { user_id: longUser }),
      ledgerRow(4),
    ];
    for (const row of rows) w.record(row);
    await w.flush();
    expect(await rowsIn(h.store)).toEqual([
      ledgerRow(1),
      ledgerRow(2, { model: 'claude-sonnet-4-5', session_id: 'abcdef' }),
      ledgerRow(3, { user_id: longUser.slice(0, 512) }),
      ledgerRow(4),
    ]);
    expect(w.stats).toMatchObject({ written: 4, quarantined: 0 });
    expect(log.warn).toHaveBeenCalledWith({ requestId: 'req-000002' }, 'spend row repaired after a data rejection');
  });

  test('close writes what is buffered when the database is up', async (ctx) => {
    if (!(h = await harness(kind))) return ctx.skip();
    const w = writer();
    for (const row of range(1, 3)) w.record(row);
    await w.close();
    expect(await countIn(h.store)).toBe(3);
    expect(journalFiles(h.journalDir)).toEqual([]);
  });
});
