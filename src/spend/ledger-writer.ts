/**
 * The lossless spend ledger (spec §6): `record()` only queues; a background loop batch-inserts.
 * While the database is unavailable rows stay buffered and the loop backs off; past
 * `maxBuffered`, or at close, they go to a fsync'd local journal that is replayed as soon as the
 * database answers again and at the next start. Rows the database rejects as data are isolated,
 * repaired or quarantined by the sink. Nothing is dropped silently.
 *
 * With a write-ahead journal (`walDir`), `record()` also appends the row to a per-process file
 * before it returns, so a process killed outright (kill -9) loses none of the rows it held in
 * memory; the file is emptied whenever no row is held in memory (ledger-wal.ts).
 */
import type { Store } from '../store/database.js';
import type { SpendLedgerTable } from '../store/schema.js';
import { createLedgerJournal, type QuarantinedRow } from './ledger-journal.js';
import { replayJournalFiles, type ReplayResult } from './ledger-replay.js';
import { createLedgerWal } from './ledger-wal.js';
import { createLedgerSink, type LedgerLog } from './ledger-sink.js';
import { serial } from './serial.js';

export type { LedgerLog } from './ledger-sink.js';

export interface LedgerWriterOptions {
  store: Store;
  journalDir: string;
  /** The write-ahead journal's directory; without it a kill -9 loses the rows held in memory. */
  walDir?: string;
  flushIntervalMs?: number;
  batchSize?: number;
  maxBuffered?: number;
  /** A write slower than this counts as an outage. */
  writeTimeoutMs?: number;
  log: LedgerLog;
  onFlushError?: () => void;
  onQuarantine?: (count: number) => void;
}

export interface LedgerStats {
  /** Rows in memory now. */
  readonly buffered: number;
  /** Rows appended to the journal since start. */
  readonly journaled: number;
  /** Rows inserted since start (a request id already recorded does not count). */
  readonly written: number;
  readonly quarantined: number;
  /** Flush attempts that left rows unwritten. */
  readonly flushErrors: number;
}

export interface LedgerWriter {
  /** Queues a row: synchronous, O(1), never throws. */
  record(row: SpendLedgerTable): void;
  /** Writes what is buffered and replays the journal; rows stay kept if the database is down. */
  flush(): Promise<void>;
  /** Stops the loop and flushes; whatever cannot be written goes to the journal. */
  close(): Promise<void>;
  /** Replays journaled rows (call at start); resolves with the number of rows replayed. */
  replayJournal(): Promise<number>;
  /** Rows not yet in the database: buffered, plus journaled by this process and not yet replayed. */
  queued(): number;
  readonly stats: LedgerStats;
}

const MAX_BACKOFF_MS = 5_000;

export function createLedgerWriter(options: LedgerWriterOptions): LedgerWriter {
  const { log, onFlushError, onQuarantine } = options;
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const batchSize = options.batchSize ?? 500;
  const maxBuffered = options.maxBuffered ?? 10_000;
  const journal = createLedgerJournal(options.journalDir);
  const wal = options.walDir
    ? createLedgerWal(options.walDir, { onError: (error) => log.error({ err: error }, 'spend write-ahead journal write failed; rows are kept in memory only') })
    : undefined;
  let buffer: SpendLedgerTable[] = [];
  // Rows taken out of the buffer for a write or a spill that has not finished yet.
  let inFlight = 0;
  const stats = {
    journaled: 0,
    written: 0,
    quarantined: 0,
    flushErrors: 0,
    get buffered() {
      return buffer.length;
    },
  };
  // True at start: a previous process may have left rows in the journal.
  let journalPending = true;
  // Rows this process spilled since the journal was last replayed completely.
  let spilledRows = 0;
  let failures = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let spilling: Promise<void> | undefined;

  const sink = createLedgerSink({
    db: options.store.db,
    timeoutMs: options.writeTimeoutMs ?? 15_000,
    log,
    async quarantine(rejected: QuarantinedRow[]) {
      stats.quarantined += rejected.length;
      onQuarantine?.(rejected.length);
      // The log is the last place a row can survive when even the quarantine file fails.
      await journal.quarantine(rejected).catch((error: unknown) => log.error({ err: error, rows: rejected }, 'spend quarantine file append failed'));
    },
  });

  // Database work runs one task at a time, so a row is never in two batches at once.
  const exclusive = serial();

  async function spill(): Promise<void> {
    while (buffer.length > 0 && (closed || buffer.length > maxBuffered)) {
      const rows = buffer;
      buffer = [];
      inFlight += rows.length;
      try {
        await journal.append(rows);
        stats.journaled += rows.length;
        spilledRows += rows.length;
        journalPending = true;
      } catch (error) {
        buffer = rows.concat(buffer);
        log.error({ err: error, rows: rows.length }, 'spend journal append failed; rows kept in memory');
        return;
      } finally {
        inFlight -= rows.length;
      }
    }
    releaseWal();
  }

  /**
   * With no row in memory, every row the write-ahead journal holds is in the database, the spill
   * journal or the quarantine file. Synchronous, so no row can be recorded between the check and
   * the truncation.
   */
  function releaseWal(): void {
    if (buffer.length === 0 && inFlight === 0) wal?.truncate();
  }

  function startSpill(): Promise<void> {
    spilling ??= spill().finally(() => {
      spilling = undefined;
    });
    return spilling;
  }

  async function failed(error: unknown): Promise<void> {
    failures += 1;
    stats.flushErrors += 1;
    onFlushError?.();
    log.warn({ err: error, buffered: buffer.length, failures }, 'spend ledger flush failed; rows kept');
    if (closed || buffer.length > maxBuffered) await startSpill();
  }

  async function replay(): Promise<ReplayResult> {
    journalPending = false;
    // Rows spilled while the replay runs may land in a file it did not claim: only earlier ones are done.
    const spilledBefore = spilledRows;
    const spilled = await replayJournalFiles(journal, sink, batchSize);
    // Rows other processes (or this one's previous run) had appended when they were killed.
    const result = spilled.complete && wal ? merged(spilled, await replayJournalFiles(wal, sink, batchSize)) : spilled;
    stats.written += result.inserted;
    if (result.complete) spilledRows -= spilledBefore;
    if (!result.complete) journalPending = true;
    else if (result.replayed > 0) log.info({ rows: result.replayed }, 'spend journal replayed');
    return result;
  }

  async function drain(): Promise<void> {
    while (buffer.length > 0) {
      const rows = buffer.splice(0, batchSize);
      inFlight += rows.length;
      const outcome = await sink.write(rows).finally(() => (inFlight -= rows.length));
      stats.written += outcome.inserted;
      if (outcome.left.length > 0) {
        buffer = outcome.left.concat(buffer);
        return failed(outcome.error);
      }
    }
    releaseWal();
    if (journalPending) {
      const { complete, error } = await replay();
      if (!complete) return failed(error);
    }
    failures = 0;
  }

  function schedule(): void {
    if (closed) return;
    const delay = failures === 0 ? flushIntervalMs : Math.min(MAX_BACKOFF_MS, flushIntervalMs * 2 ** Math.min(failures, 10));
    timer = setTimeout(() => {
      // drain handles its own failures; this only keeps a bug from stopping the loop for good.
      void exclusive(drain)
        .catch((error: unknown) => log.error({ err: error }, 'spend ledger flush loop failed'))
        .then(schedule);
    }, delay);
    timer.unref();
  }
  schedule();

  return {
    record(row) {
      wal?.append(row);
      buffer.push(row);
      // On crossing only: if the journal itself fails, the flush loop retries at its own pace.
      if (buffer.length === maxBuffered + 1 || closed) void startSpill();
    },
    async flush() {
      await exclusive(drain);
      await spilling;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await exclusive(drain);
      await startSpill();
      // Rows that could not be written or spilled stay in the write-ahead journal for the next start.
      wal?.close(buffer.length === 0);
      if (buffer.length > 0) log.error({ rows: buffer }, 'spend rows could be neither written nor journaled');
    },
    replayJournal() {
      return exclusive(async () => (await replay()).replayed);
    },
    queued: () => buffer.length + spilledRows,
    stats,
  };
}

function merged(first: ReplayResult, second: ReplayResult): ReplayResult {
  return { ...second, replayed: first.replayed + second.replayed, inserted: first.inserted + second.inserted };
}
