import { describe, expect, test } from 'vitest';
import {
  budgetStatus,
  checkBudgetDraft,
  describeRules,
  draftOf,
  formatBudget,
  isTimeZone,
  meterStatus,
  myBudgetTitle,
  PRESET_DESCRIPTIONS,
  PRESET_RULES,
  removalConsequence,
  SUBJECT_TYPES,
  thresholdSteps,
  type BudgetDraft,
  type ThresholdRule,
} from '../../portal/src/lib/budgets.js';
import { PRESETS, standing } from '../../src/limits/budget-policy.js';

describe('policy presets', () => {
  test('are the server’s presets, rule for rule', () => {
    expect(PRESET_RULES).toEqual(PRESETS);
  });

  test('read in plain words', () => {
    expect(PRESET_DESCRIPTIONS).toEqual({
      standard: 'Notify at 80%, block at 100%.',
      soft: 'Notify at 80% and 100%, block at 150%.',
      shaped: 'Notify at 80%, slow to 5 requests/minute at 100%, block at 150%.',
    });
  });
});

describe('describeRules', () => {
  test('orders custom rules by percent and groups neighbours that do the same', () => {
    const rules: ThresholdRule[] = [
      { action: 'block', percent: 110 },
      { action: 'notify', percent: 90 },
      { action: 'notify', percent: 50 },
      { action: 'notify', percent: 75 },
      { action: 'shape', percent: 95, rpm: 10 },
    ];
    expect(describeRules(rules)).toBe('Notify at 50%, 75% and 90%, slow to 10 requests/minute at 95%, block at 110%.');
  });

  test('says when a policy never blocks', () => {
    expect(describeRules([{ action: 'notify', percent: 50 }])).toBe('Notify at 50%; never blocks.');
  });

  test('keeps two shape rules with different rates apart', () => {
    expect(
      describeRules([
        { action: 'shape', percent: 90, rpm: 10 },
        { action: 'shape', percent: 100, rpm: 2 },
      ]),
    ).toBe('Slow to 10 requests/minute at 90%, slow to 2 requests/minute at 100%; never blocks.');
  });
});

describe('budgetStatus', () => {
  const cases: Array<[keyof typeof PRESETS, number]> = [
    ['standard', 0],
    ['standard', 79.9],
    ['standard', 80],
    ['standard', 100],
    ['soft', 100],
    ['soft', 149],
    ['soft', 150],
    ['shaped', 99],
    ['shaped', 100],
    ['shaped', 151],
  ];
  test.each(cases)('%s at %d% reads as the server reads it', (preset, percent) => {
    const limitMicros = 50_000_000;
    expect(budgetStatus(PRESET_RULES[preset], percent)).toBe(standing(PRESETS[preset], limitMicros, (limitMicros * percent) / 100).status);
  });

  test('a default budget with no spend of its own is ok', () => {
    expect(budgetStatus(PRESET_RULES.standard, null)).toBe('ok');
  });

  test('meters without known rules colour by the standard thresholds', () => {
    expect([meterStatus(10), meterStatus(85), meterStatus(120)]).toEqual(['ok', 'warning', 'blocked']);
  });
});

test('thresholdSteps says what happens at each threshold and at what amount', () => {
  expect(thresholdSteps(PRESET_RULES.shaped, 50)).toEqual([
    { percent: 80, amountUsd: 40, text: 'a budget alert is recorded; requests still go through' },
    { percent: 100, amountUsd: 50, text: 'requests slow to 5 a minute' },
    { percent: 150, amountUsd: 75, text: 'requests are refused until the budget resets' },
  ]);
  expect(thresholdSteps(PRESET_RULES.standard, 33.33)[0]?.amountUsd).toBe(26.66);
});

test('formatBudget writes the amount per period', () => {
  expect(formatBudget(50, 'monthly')).toBe('$50.00 / month');
  expect(formatBudget(1234.5, 'weekly')).toBe('$1,234.50 / week');
  expect(formatBudget(0.5, 'daily')).toBe('$0.50 / day');
});

test('every subject type has its removal consequence and member title', () => {
  for (const type of SUBJECT_TYPES) {
    expect(removalConsequence(type)).toMatch(/\.$/);
    expect(myBudgetTitle(type, 'Platform')).not.toBe('');
  }
  expect(myBudgetTitle('team', 'Platform')).toBe('Team Platform');
  expect(removalConsequence('user')).toContain('team default');
});

describe('checkBudgetDraft', () => {
  const draft = (change: Partial<BudgetDraft>): BudgetDraft => ({ amount: '50', period: 'monthly', timeZone: '', policy: 'standard', strict: false, ...change });

  test('builds the body the API takes, leaving the zone to the gateway when empty', () => {
    expect(checkBudgetDraft(draft({}))).toEqual({ ok: true, body: { amount_usd: 50, period: 'monthly', policy: 'standard', strict: false } });
    expect(checkBudgetDraft(draft({ amount: ' 49.99 ', timeZone: 'Europe/Berlin', policy: 'soft', period: 'weekly', strict: true }))).toEqual({
      ok: true,
      body: { amount_usd: 49.99, period: 'weekly', time_zone: 'Europe/Berlin', policy: 'soft', strict: true },
    });
  });

  test('sends no policy when custom rules are kept', () => {
    expect(checkBudgetDraft(draft({ policy: 'custom' }))).toEqual({ ok: true, body: { amount_usd: 50, period: 'monthly', strict: false } });
  });

  test.each([
    ['', 'Enter an amount in US dollars.'],
    ['abc', 'Enter an amount in US dollars.'],
    ['0', 'The amount must be at least $0.01.'],
    ['-5', 'The amount must be at least $0.01.'],
    ['10000000.01', 'The amount can be at most $10,000,000.00.'],
    ['1e3', 'Write the amount in dollars, e.g. 50 or 49.99.'],
    ['1.1234567', 'Write the amount in dollars, e.g. 50 or 49.99.'],
  ])('refuses the amount %j', (amount, message) => {
    expect(checkBudgetDraft(draft({ amount }))).toEqual({ ok: false, errors: { amount: message } });
  });

  test('refuses a zone the runtime does not know', () => {
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(checkBudgetDraft(draft({ timeZone: 'Mars/Olympus' }))).toEqual({ ok: false, errors: { timeZone: '“Mars/Olympus” is not an IANA time zone (e.g. Europe/Berlin).' } });
  });
});

test('draftOf starts from the budget, or from a monthly standard budget', () => {
  expect(draftOf(null)).toEqual({ amount: '', period: 'monthly', timeZone: '', policy: 'standard', strict: false });
  expect(draftOf({ amount_usd: 12.5, period: 'daily', time_zone: 'Asia/Tokyo', policy: 'shaped', strict: true })).toEqual({
    amount: '12.5',
    period: 'daily',
    timeZone: 'Asia/Tokyo',
    policy: 'shaped',
    strict: true,
  });
  expect(draftOf({ amount_usd: 5, period: 'weekly', time_zone: 'UTC', policy: 'custom', strict: false }).policy).toBe('custom');
});
