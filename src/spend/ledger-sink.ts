/**
 * Writes ledger rows to the database. A batch the database rejects as data is retried one row at
 * a time so one bad row cannot hold back the others; a rejected row is repaired and retried once,
 * then quarantined. Inserts ignore request ids already recorded, so a batch may be written any
 * number of times (after a timeout, from the journal) and still counts once.
 */
import type { Kysely } from 'kysely';
import type { Database, SpendLedgerTable } from '../store/schema.js';
import { classifyLedgerError } from './ledger-errors.js';
import type { QuarantinedRow } from './ledger-journal.js';
import { repairLedgerRow } from './ledger-repair.js';

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

type RowResult = { inserted: number } | { rejected: unknown } | { retryLater: unknown };

export function createLedgerSink({ db, timeoutMs, quarantine, log }: LedgerSinkOptions): LedgerSink {
  async function insert(rows: SpendLedgerTable[]): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`spend ledger write timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    });
    try {
      const query = db.insertInto('spend_ledger').values(rows).onConflict((oc) => oc.column('request_id').doNothing()).executeTakeFirst();
      const result = await Promise.race([query, timeout]);
      return Number(result.numInsertedOrUpdatedRows ?? 0n);
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
