/**
 * Budgets beside users and teams in admin listings, and a caller's own: which budget applies (as
 * the budget book decides), spend from one grouped query per period rather than one per row, and
 * live reservations in the caller's view. The clock is pinned.
 */
import { describe, expect, test } from 'vitest';
import { PRESETS } from '../../../src/limits/budget-policy.js';
import { BudgetBook } from '../../../src/limits/budgets/budget-book.js';
import { createBudgetOverview } from '../../../src/limits/budgets/budget-overview.js';
import type { BudgetRow } from '../../../src/limits/budgets/budgets.repo.js';
import { createMemoryReservations } from '../../../src/limits/reservations/memory.js';
import type { SpendSubject, SpendTotals, SubjectTotals } from '../../../src/spend/spend-totals.js';

const USD = 1_000_000;
/** 2026-11-18 10:00 UTC, a Wednesday mid-month. */
const NOW = Date.UTC(2026, 10, 18, 10);
const MONTH = { start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 11, 1) };
const DAY = { start: Date.UTC(2026, 10, 18), end: Date.UTC(2026, 10, 19) };

function row(subject_type: BudgetRow['subject_type'], subject_id: string, usd: number, period: BudgetRow['period'] = 'monthly'): BudgetRow {
  return {
    id: `${subject_type}:${subject_id}`,
    subject_type,
    subject_id,
    amount_micros: usd * USD,
    period,
    time_zone: 'UTC',
    policy: 'standard',
    rules: JSON.stringify(PRESETS.standard),
    strict: 0,
    created_at: 1,
    updated_at: 1,
    deleted_at: null,
  };
}

/** Ledger totals from a table of (subject → micros), recording each grouped query. */
function fakeSpend(spent: Record<string, number>) {
  const queries: Array<{ type: SpendSubject['type']; ids: readonly string[]; start: number; end: number }> = [];
  const spend: SpendTotals = {
    spentBetween: async (subject) => spent[`${subject.type}:${subject.id}`] ?? 0,
    totalsBetween: async (type, ids, start, end) => {
      queries.push({ type, ids, start, end });
      const found = ids.filter((id) => spent[`${type}:${id}`] !== undefined);
      return new Map(found.map((id): [string, SubjectTotals] => [id, { micros: spent[`${type}:${id}`]!, requests: 1 }]));
    },
  };
  return { spend, queries };
}

function setup(rows: BudgetRow[], spent: Record<string, number>) {
  const book = new BudgetBook({ changedSince: async () => [] });
  for (const budget of rows) book.apply(budget);
  const { spend, queries } = fakeSpend(spent);
  const reservations = createMemoryReservations(() => NOW);
  return { overview: createBudgetOverview({ book, spend, reservations, clock: () => NOW }), queries, reservations };
}

describe('budget overview', () => {
  test("each user's budget: their own, else their team's default, else the global default", async () => {
    const { overview, queries } = setup(
      [row('user', 'ann', 50, 'daily'), row('team_default', 'platform', 20), row('global_default', '', 10)],
      { 'user:ann': 5 * USD, 'user:bob': 4 * USD },
    );
    const budgets = await overview.forUsers([
      { id: 'ann', teamId: 'platform' },
      { id: 'bob', teamId: 'platform' },
      { id: 'cy', teamId: null },
    ]);
    expect([...budgets].map(([id, { budget, window, spentMicros }]) => [id, budget.subjectType, budget.amountMicros / USD, window, spentMicros / USD])).toEqual([
      ['ann', 'user', 50, DAY, 5],
      ['bob', 'team_default', 20, MONTH, 4],
      ['cy', 'global_default', 10, MONTH, 0],
    ]);
    // One grouped query per period, not one per user.
    expect(queries).toEqual([
      { type: 'user', ids: ['ann'], ...DAY },
      { type: 'user', ids: ['bob', 'cy'], ...MONTH },
    ]);
  });

  test('users without any budget have none', async () => {
    const { overview, queries } = setup([], {});
    expect(await overview.forUsers([{ id: 'ann', teamId: null }])).toEqual(new Map());
    expect(queries).toEqual([]);
  });

  test("a team's own budget and spend; without one, its spend this UTC month", async () => {
    const { overview } = setup([row('team', 'platform', 100, 'daily'), row('team_default', 'mobile', 20)], { 'team:platform': 30 * USD, 'team:mobile': 7 * USD });
    const teams = await overview.forTeams(['platform', 'mobile']);
    expect(teams.get('platform')).toMatchObject({ budget: { window: DAY, spentMicros: 30 * USD }, spentMicros: 30 * USD, since: DAY.start });
    expect(teams.get('platform')!.budget!.budget.amountMicros).toBe(100 * USD);
    expect(teams.get('mobile')).toEqual({ budget: undefined, spentMicros: 7 * USD, since: MONTH.start });
  });

  test("a caller's budgets (user, team, each key) with live reservations", async () => {
    const { overview, reservations } = setup(
      [row('team_default', 'platform', 20), row('team', 'platform', 100), row('key', 'k1', 10, 'daily'), row('key', 'someone-else', 1)],
      { 'user:ann': 15 * USD, 'team:platform': 40 * USD },
    );
    const before = await overview.forCaller({ userId: 'ann', teamId: 'platform', keyIds: ['k1', 'k2'] });
    expect(before.map(({ measured, view }) => [measured.budget.subjectType, measured.subject.id, view.committedMicros / USD, view.status])).toEqual([
      ['team_default', 'ann', 15, 'ok'],
      ['team', 'platform', 40, 'ok'],
      ['key', 'k1', 0, 'ok'],
    ]);
    // A request in flight counts, as it does for the gate: $2 more puts ann's $20 budget at 85%.
    await reservations.reserve([before[0]!.measured.line], 2 * USD, 60_000);
    const [user] = await overview.forCaller({ userId: 'ann', teamId: 'platform', keyIds: [] });
    expect(user!.view).toMatchObject({ committedMicros: 17 * USD, status: 'warning' });
  });
});
