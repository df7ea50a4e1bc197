/** Which budget events one settle raises: pure, from the counters' standings after the settle. */
import { describe, expect, test } from 'vitest';
import { PRESETS } from '../../../src/limits/budget-policy.js';
import type { MeasuredBudget } from '../../../src/limits/budgets/budget-standing.js';
import { crossedThresholds } from '../../../src/limits/budgets/threshold-events.js';

const USD = 1_000_000;
const START = Date.UTC(2026, 10, 1);

function measured(subjectType: 'user' | 'team' | 'key', rules: MeasuredBudget['budget']['rules'] = PRESETS.standard): MeasuredBudget {
  return {
    budget: { id: 'b1', subjectType, subjectId: 's1', amountMicros: 10 * USD, period: 'monthly', timeZone: 'UTC', policy: 'standard', rules, strict: false },
    subject: { type: subjectType, id: 's1' },
    window: { start: START, end: Date.UTC(2026, 11, 1) },
    line: { key: 'k', capMicros: 10 * USD, strict: false, expiresAt: 0, seed: async () => 0 },
  };
}

const principal = { userId: 'u1', teamId: 't1' };
const after = (spentMicros: number) => [{ spentMicros, reservedMicros: 0 }];

describe('crossedThresholds', () => {
  test('a settle that takes spend across 80% raises one warning with the spec §8 detail', () => {
    expect(crossedThresholds([measured('user')], after(8.2 * USD), 1 * USD, principal)).toEqual([
      {
        subject_type: 'user',
        subject_id: 's1',
        threshold_percent: 80,
        period_start: START,
        event_type: 'budget_warning',
        severity: 'warning',
        user_id: 'u1',
        team_id: 't1',
        detail: JSON.stringify({ threshold_percent: 80, spend_usd: 8.2, limit_usd: 10, percent: 82, period: 'monthly', period_start: '2026-11-01T00:00:00.000Z', budget_id: 'b1', subject_type: 'user' }),
      },
    ]);
  });

  test('team budgets raise the team_ variants, without a user; one settle may cross several rules', () => {
    const events = crossedThresholds([measured('team', PRESETS.shaped)], after(15 * USD), 10 * USD, principal);
    expect(events.map((event) => [event.event_type, event.severity, event.user_id])).toEqual([
      ['team_budget_warning', 'warning', null],
      ['team_budget_shaped', 'warning', null],
      ['team_budget_blocked', 'critical', null],
    ]);
  });

  test('nothing when the threshold was already behind, not yet reached, or the cost was zero', () => {
    expect(crossedThresholds([measured('key')], after(9 * USD), 0.5 * USD, principal)).toEqual([]);
    expect(crossedThresholds([measured('key')], after(7 * USD), 1 * USD, principal)).toEqual([]);
    expect(crossedThresholds([measured('key')], after(8 * USD), 0, principal)).toEqual([]);
    // Reaching a threshold exactly counts as crossing it.
    expect(crossedThresholds([measured('key')], after(8 * USD), 1 * USD, principal).map((event) => event.threshold_percent)).toEqual([80]);
  });
});
