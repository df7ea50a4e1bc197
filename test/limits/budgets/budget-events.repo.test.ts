/** Listing budget events on SQLite and PostgreSQL: filters, subjects by id, sorting and paging. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBudgetEventsRepo, type BudgetEventInput } from '../../../src/limits/budgets/budget-events.repo.js';
import type { Store } from '../../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

const T0 = 1_760_000_000_000;

function event(subject_type: BudgetEventInput['subject_type'], subject_id: string, threshold_percent: number, event_type: string): BudgetEventInput {
  return { subject_type, subject_id, threshold_percent, period_start: T0, event_type, severity: 'warning', user_id: null, team_id: null, detail: '{}' };
}

describe.each(['sqlite', 'postgres'] as const)('budget events on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  const page = { sort: 'created_at', order: 'desc', limit: 100, offset: 0 } as const;
  const ids = async (request: Partial<Parameters<ReturnType<typeof createBudgetEventsRepo>['list']>[0]>) => {
    const result = await createBudgetEventsRepo(store.db).list({ ...page, ...request });
    return { ids: result.rows.map((row) => `${row.subject_id}@${row.threshold_percent}`), total: result.total };
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
    let clock = T0;
    const repo = createBudgetEventsRepo(store.db, () => (clock += 1000));
    await repo.record(event('user', 'u1', 80, 'budget_warning'));
    await repo.record(event('team', 't1', 80, 'team_budget_warning'));
    await repo.record(event('user', 'u1', 100, 'budget_blocked'));
    await repo.record(event('key', 'k1', 50, 'budget_warning'));
    // The same threshold again in the same period: still one event.
    await repo.record(event('user', 'u1', 80, 'budget_warning'));
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  test('newest first, paged, with the total before paging', async ({ skip }) => {
    if (!database) return skip();
    expect(await ids({})).toEqual({ ids: ['k1@50', 'u1@100', 't1@80', 'u1@80'], total: 4 });
    expect(await ids({ limit: 2, offset: 1 })).toEqual({ ids: ['u1@100', 't1@80'], total: 4 });
    expect((await ids({ sort: 'threshold_percent', order: 'desc' })).ids[0]).toBe('u1@100');
    // The two budget_warning events tie; their (random) ids order them, the same way every time.
    const byType = (await ids({ sort: 'event_type', order: 'asc' })).ids;
    expect([byType[0], [byType[1], byType[2]].sort(), byType[3]]).toEqual(['u1@100', ['k1@50', 'u1@80'], 't1@80']);
    expect((await ids({ sort: 'event_type', order: 'asc' })).ids).toEqual(byType);
  });

  test('filters by time (from inclusive, to exclusive), type and subject', async ({ skip }) => {
    if (!database) return skip();
    expect((await ids({ from: T0 + 2000, to: T0 + 4000 })).ids).toEqual(['u1@100', 't1@80']);
    expect((await ids({ eventType: 'budget_warning' })).ids).toEqual(['k1@50', 'u1@80']);
    expect((await ids({ subjectType: 'team' })).ids).toEqual(['t1@80']);
    expect((await ids({ subjects: { user: ['u1'], team: [], key: ['k1'] } })).ids).toEqual(['k1@50', 'u1@100', 'u1@80']);
    expect(await ids({ subjects: { user: [], team: [], key: [] } })).toEqual({ ids: [], total: 0 });
  });
});
