import { describe, expect, it } from 'vitest';
import { PRESETS, blockAtMicros, customRules, standing } from '../../src/limits/budget-policy.js';

const USD = 1_000_000;

describe('budget policies', () => {
  it('standard: warns from 80%, blocks at 100%', () => {
    expect(standing(PRESETS.standard, 50 * USD, 39.99 * USD)).toMatchObject({ status: 'ok', shapeRpm: null });
    expect(standing(PRESETS.standard, 50 * USD, 40 * USD)).toMatchObject({ status: 'warning', percent: 80 });
    expect(standing(PRESETS.standard, 50 * USD, 50 * USD)).toMatchObject({ status: 'blocked', percent: 100 });
    expect(blockAtMicros(PRESETS.standard, 50 * USD)).toBe(50 * USD);
  });

  it('soft: notifies at 80 and 100, blocks only at 150', () => {
    const at120 = standing(PRESETS.soft, 10 * USD, 12 * USD);
    expect(at120.status).toBe('warning');
    expect(at120.reached.map((rule) => rule.percent)).toEqual([80, 100]);
    expect(standing(PRESETS.soft, 10 * USD, 15 * USD).status).toBe('blocked');
    expect(blockAtMicros(PRESETS.soft, 10 * USD)).toBe(15 * USD);
  });

  it('shaped: throttles to 5 RPM from 100%, blocks at 150%', () => {
    expect(standing(PRESETS.shaped, 10 * USD, 9 * USD)).toMatchObject({ status: 'warning', shapeRpm: null });
    expect(standing(PRESETS.shaped, 10 * USD, 10 * USD)).toMatchObject({ status: 'shaped', shapeRpm: 5 });
    expect(standing(PRESETS.shaped, 10 * USD, 15 * USD)).toMatchObject({ status: 'blocked' });
  });

  it('custom rules are sorted and allow one block at most', () => {
    const rules = customRules.parse([
      { action: 'block', percent: 120 },
      { action: 'shape', percent: 90, rpm: 10 },
      { action: 'notify', percent: 50 },
    ]);
    expect(rules.map((rule) => rule.percent)).toEqual([50, 90, 120]);
    expect(standing(rules, 100 * USD, 95 * USD)).toMatchObject({ status: 'shaped', shapeRpm: 10 });
    expect(customRules.safeParse([{ action: 'block', percent: 100 }, { action: 'block', percent: 150 }]).success).toBe(false);
    expect(customRules.safeParse([{ action: 'shape', percent: 100 }]).success).toBe(false);
    expect(blockAtMicros([{ action: 'notify', percent: 80 }], 100 * USD)).toBeNull();
  });

  it('a zero budget blocks the first cent', () => {
    expect(standing(PRESETS.standard, 0, 0).status).toBe('ok');
    expect(standing(PRESETS.standard, 0, 1).status).toBe('blocked');
  });
});
