/**
 * Why a ledger write failed decides what happens to its rows: an unavailable database keeps them
 * (buffer, then journal), a rejection of the data isolates the row that caused it. Pure.
 */

export type LedgerFailure =
  /** The database cannot be reached or is busy: keep the rows and retry later. */
  | 'unavailable'
  /** The database rejected a value: find the row, repair it or quarantine it. */
  | 'data'
  /** A unique constraint other than the request id fired: the row is already recorded. */
  | 'duplicate'
  /** Anything else (schema or permission problems): keep the rows, never drop them. */
  | 'other';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);
/** SQLite result codes of a database that is locked, busy or cannot write right now. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|PROTOCOL|READONLY)/;
/** SQLite result codes of a value the database refuses. */
const SQLITE_DATA = /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/;
const SQLITE_DUPLICATE = /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/;
const SQLSTATE = /^[0-9A-Z]{5}$/;
/**
 * PostgreSQL classes: 08 connection, 40 transaction rollback (serialization, deadlock), 53
 * insufficient resources, 57 operator intervention (shutdown, cancel), 58 system I/O.
 */
const PG_UNAVAILABLE_CLASSES = new Set(['08', '40', '53', '57', '58']);
/** 22 data exception (NUL byte, out of range), 23 integrity, 54 program limit (index row too large). */
const PG_DATA_CLASSES = new Set(['22', '23', '54']);
/** node-postgres, pg-pool and Kysely report lost connections and shutdown without a code. */
const UNAVAILABLE_MESSAGE = /connection|terminated|timeout|timed out|not queryable|destroyed|after calling end|not open/i;

export function classifyLedgerError(error: unknown): LedgerFailure {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  if (NETWORK_CODES.has(code) || SQLITE_UNAVAILABLE.test(code)) return 'unavailable';
  if (SQLITE_DUPLICATE.test(code) || code === '23505') return 'duplicate';
  if (SQLITE_DATA.test(code)) return 'data';
  if (SQLSTATE.test(code)) {
    const sqlClass = code.slice(0, 2);
    if (PG_UNAVAILABLE_CLASSES.has(sqlClass)) return 'unavailable';
    if (PG_DATA_CLASSES.has(sqlClass)) return 'data';
    return 'other';
  }
  const message = error instanceof Error ? error.message : String(error);
  if (UNAVAILABLE_MESSAGE.test(message)) return 'unavailable';
  // better-sqlite3 refuses to bind a value it cannot store (boolean, object, huge BigInt).
  if (error instanceof TypeError || error instanceof RangeError) return 'data';
  return 'other';
}
