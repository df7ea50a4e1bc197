import { describe, expect, test } from 'vitest';
import { classifyLedgerError } from '../../src/spend/ledger-errors.js';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('ledger failure classes', () => {
  test.each([
    [coded('ECONNREFUSED'), 'unavailable'],
    [coded('ECONNRESET'), 'unavailable'],
    [coded('ETIMEDOUT'), 'unavailable'],
    [coded('SQLITE_BUSY'), 'unavailable'],
    [coded('SQLITE_BUSY_SNAPSHOT'), 'unavailable'],
    [coded('SQLITE_LOCKED'), 'unavailable'],
    [coded('08006'), 'unavailable'],
    [coded('57P01'), 'unavailable'],
    [coded('53300'), 'unavailable'],
    [coded('40P01'), 'unavailable'],
    [new Error('Connection terminated unexpectedly'), 'unavailable'],
    [new Error('timeout exceeded when trying to connect'), 'unavailable'],
    [new TypeError('The database connection is not open'), 'unavailable'],
    [coded('22021', 'invalid byte sequence for encoding "UTF8": 0x00'), 'data'],
    [coded('22P02'), 'data'],
    [coded('22003'), 'data'],
    [coded('23502'), 'data'],
    [coded('23514'), 'data'],
    [coded('54000'), 'data'],
    [coded('SQLITE_CONSTRAINT_NOTNULL'), 'data'],
    [coded('SQLITE_CONSTRAINT_TRIGGER'), 'data'],
    [coded('SQLITE_MISMATCH'), 'data'],
    [coded('SQLITE_TOOBIG'), 'data'],
    [new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null'), 'data'],
    [new RangeError('The bound string, buffer, or bigint is too big'), 'data'],
    [coded('23505'), 'duplicate'],
    [coded('SQLITE_CONSTRAINT_UNIQUE'), 'duplicate'],
    [coded('SQLITE_CONSTRAINT_PRIMARYKEY'), 'duplicate'],
    [coded('42P01', 'relation "spend_ledger" does not exist'), 'other'],
    [coded('42501', 'permission denied'), 'other'],
    [new Error('something odd'), 'other'],
    ['a string', 'other'],
  ])('%s → %s', (error, expected) => {
    expect(classifyLedgerError(error)).toBe(expected);
  });
});
