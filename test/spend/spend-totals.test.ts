/** Ledger sums for budgets on SQLite and PostgreSQL: one subject, and many at once grouped by subject. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSpendTotals } from '../../src/spend/spend-totals.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { ledgerRow } from './ledger-rows.js';

const T0 = 1_760_000_000_000;

describe.each(['sqlite', 'postgres'] as const)('spend totals on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
    await store.db
      .insertInto('spend_ledger')
      .values([
        ledgerRow(1, { user_id: 'u1', team_id: 't1', key_id: 'k1', cost_micros: 1_000, created_at: T0 }),
        ledgerRow(2, { user_id: 'u1', team_id: 't1', key_id: 'k1', cost_micros: 2_500, created_at: T0 + 10 }),
        ledgerRow(3, { user_id: 'u2', team_id: 't1', key_id: 'k2', cost_micros: 700, created_at: T0 + 20 }),
        // Outside the window on either side.
        ledgerRow(4, { user_id: 'u1', team_id: 't1', key_id: 'k1', cost_micros: 9_999, created_at: T0 - 1 }),
        ledgerRow(5, { user_id: 'u2', team_id: 't1', key_id: 'k2', cost_micros: 9_999, created_at: T0 + 100 }),
      ])
      .execute();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  test('spend and requests per subject in [start, end), subjects without rows left out', async ({ skip }) => {
    if (!database) return skip();
    const totals = createSpendTotals(store.db);
    const users = await totals.totalsBetween('user', ['u1', 'u2', 'u3'], T0, T0 + 100);
    expect(Object.fromEntries(users)).toEqual({ u1: { micros: 3_500, requests: 2 }, u2: { micros: 700, requests: 1 } });
    expect(Object.fromEntries(await totals.totalsBetween('team', ['t1'], T0, T0 + 100))).toEqual({ t1: { micros: 4_200, requests: 3 } });
    expect(Object.fromEntries(await totals.totalsBetween('key', ['k2'], T0, T0 + 101))).toEqual({ k2: { micros: 10_699, requests: 2 } });
    expect(await totals.totalsBetween('user', [], T0, T0 + 100)).toEqual(new Map());
    expect(await totals.spentBetween({ type: 'user', id: 'u1' }, T0, T0 + 100)).toBe(3_500);
  });

  test('more ids than one statement takes', async ({ skip }) => {
    if (!database) return skip();
    const ids = [...Array.from({ length: 1_200 }, (_, n) => `other-${n}`), 'u2'];
    expect(Object.fromEntries(await createSpendTotals(store.db).totalsBetween('user', ids, T0, T0 + 100))).toEqual({ u2: { micros: 700, requests: 1 } });
  });
});
