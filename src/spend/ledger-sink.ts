/**
 * Writes ledger rows to the database. A batch the database rejects as data is retried one row at
 * a time so one bad row cannot hold back the others; a rejected row is repaired and retried once,
 * then quarantined. Inserts ignore request ids already recorded, so a batch may be written any
 * number of times (after a timeout, from the journal) and still counts once; the analytics
 * rollups are updated in the same transaction from the rows the insert reports as new
 * (`RETURNING`), so they count each request once too.
 */
import type { Kysely } from 'kysely';
import type { Database, SpendLedgerTable } from '../store/schema.js';
import { classifyLedgerError } from './ledger-errors.js';
import type { QuarantinedRow } from './ledger-journal.js';
import { repairLedgerRow } from './ledger-repair.js';
import { rollupsOf } from './rollups/rollup-batch.js';
import { addRollups } from './rollups/rollup-writer.js';

export interface LedgerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WriteOutcome {
  inserted: number;
  /** Rows not written because the database is unavailable: keep them. */
  left: SpendLedgerTable[];
  /** Why rows were left. */
  error?: unknown;
}

export interface LedgerSink {
  write(rows: SpendLedgerTable[]): Promise<WriteOutcome>;
}

export interface LedgerSinkOptions {
  db: Kysely<Database>;
  /** A write slower than this counts as an outage: a black-holed connection never errors. */
  timeoutMs: number;
  quarantine(rejected: QuarantinedRow[]): Promise<void>;
  log: LedgerLog;
}

/**
 * A request id twice in one batch is one request: the first row is the one recorded (as a
 * separate insert would have done), so the rollups see exactly the row the ledger keeps.
 */
function firstOfEachId(rows: SpendLedgerTable[]): SpendLedgerTable[] {
  const seen = new Set<string>();
  const first = rows.filter((row) => {
    if (seen.has(row.request_id)) return false;
    seen.add(row.request_id);
    return true;
  });
  return first.length === rows.length ? rows : first;
}

function rowsWithIds(rows: SpendLedgerTable[], ids: ReadonlyArray<{ request_id: string }>): SpendLedgerTable[] {
  const wanted = new Set(ids.map((row) => row.request_id));
  return rows.filter((row) => wanted.has(row.request_id));
}

type RowResult = { inserted: number } | { rejected: unknown } | { retryLater: unknown };

export function createLedgerSink({ db, timeoutMs, quarantine, log }: LedgerSinkOptions): LedgerSink {
  /** Inserts new rows and adds exactly those into the rollups, all or nothing. */
  function insertWithRollups(rows: SpendLedgerTable[]): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('spend_ledger')
        .values(rows)
        .onConflict((oc) => oc.column('request_id').doNothing())
        .returning('request_id')
        .execute();
      if (inserted.length === 0) return 0;
      const fresh = inserted.length === rows.length ? rows : rowsWithIds(rows, inserted);
      await addRollups(trx, rollupsOf(fresh));
      return inserted.length;
    });
  }

  async function insert(rows: SpendLedgerTable[]): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`spend ledger write timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    });
    try {
      return await Promise.race([insertWithRollups(firstOfEachId(rows)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function attempt(row: SpendLedgerTable): Promise<RowResult> {
    try {
      return { inserted: await insert([row]) };
    } catch (error) {
      const failure = classifyLedgerError(error);
      if (failure === 'duplicate') return { inserted: 0 };
      return failure === 'data' ? { rejected: error } : { retryLater: error };
    }
  }

  /** One row alone: as is, then repaired. */
  async function writeOne(row: SpendLedgerTable): Promise<RowResult> {
    const first = await attempt(row);
    if (!('rejected' in first)) return first;
    const second = await attempt(repairLedgerRow(row));
    if ('inserted' in second) log.warn({ requestId: row.request_id }, 'spend row repaired after a data rejection');
    return second;
  }

  async function isolate(rows: SpendLedgerTable[]): Promise<WriteOutcome> {
    let inserted = 0;
    let left: SpendLedgerTable[] = [];
    let error: unknown;
    const rejected: QuarantinedRow[] = [];
    for (let i = 0; i < rows.length; i++) {
      const result = await writeOne(rows[i]!);
      if ('inserted' in result) inserted += result.inserted;
      else if ('rejected' in result) rejected.push({ row: rows[i]!, error: result.rejected });
      else {
        left = rows.slice(i);
        error = result.retryLater;
        break;
      }
    }
    if (rejected.length > 0) {
      log.error({ requestIds: rejected.map(({ row }) => row.request_id) }, 'spend rows rejected by the database were quarantined');
      await quarantine(rejected);
    }
    return { inserted, left, error };
  }

  return {
    async write(rows) {
      try {
        return { inserted: await insert(rows), left: [] };
      } catch (error) {
        const failure = classifyLedgerError(error);
        if (failure === 'data' || failure === 'duplicate') return isolate(rows);
        return { inserted: 0, left: rows, error };
      }
    },
  };
}
