/** Dollars ↔ micro-dollars over arbitrary amounts: exact both ways, and sums that cannot drift. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dollarsToMicros, microsToDollars } from '../../src/spend/money.js';
import { runs } from '../support/property.js';

/** Every micro-dollar amount the API accepts: 0 to $1,000,000,000. */
const micros = fc.integer({ min: 0, max: 1_000_000_000 * 1_000_000 });

/** How a client writes the amount: a decimal string of at most six places. */
function decimal(amount: number): string {
  const whole = Math.floor(amount / 1_000_000);
  const fraction = String(amount % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

describe('money conversion, property-based', () => {
  it('a decimal of at most six places parses to exactly its micro-dollars, and back', () => {
    fc.assert(
      fc.property(micros, (amount) => {
        const dollars = Number(decimal(amount));
        expect(dollarsToMicros(dollars)).toBe(amount);
        expect(microsToDollars(amount)).toBe(dollars);
      }),
      runs(200),
    );
  });

  it('a seventh decimal place is refused, never rounded away', () => {
    // Below $100,000 a double still tells the seventh place apart (ulp ≈ 1.5e-11).
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 * 1_000_000 - 1 }), fc.integer({ min: 1, max: 9 }), (amount, seventh) => {
        const sixPlaces = String(amount % 1_000_000).padStart(6, '0');
        const dollars = Number(`${Math.floor(amount / 1_000_000)}.${sixPlaces}${seventh}`);
        expect(() => dollarsToMicros(dollars)).toThrow(RangeError);
      }),
      runs(200),
    );
  });

  it('summing amounts as integer micro-dollars is exact and independent of order and grouping', () => {
    // A day of ledger rows: each cost below $10,000, thousands of rows.
    const costs = fc.array(fc.integer({ min: 0, max: 10_000 * 1_000_000 }), { maxLength: 2_000 });
    fc.assert(
      fc.property(costs, fc.integer({ min: 0, max: 2_000 }), (rows, cut) => {
        const exact = rows.reduce((sum, cost) => sum + BigInt(cost), 0n);
        const sum = (list: number[]) => list.reduce((total, cost) => total + cost, 0);
        expect(BigInt(sum(rows))).toBe(exact);
        expect(sum([...rows].reverse())).toBe(sum(rows));
        // (a + b) + c = a + (b + c): two partial totals (two replicas, two windows) add up to the whole.
        expect(sum(rows.slice(0, cut)) + sum(rows.slice(cut))).toBe(sum(rows));
        // The total shown in dollars converts back to the same micro-dollars.
        expect(dollarsToMicros(microsToDollars(sum(rows)))).toBe(sum(rows));
      }),
      runs(200),
    );
  });

  it('anything that is not an amount is a RangeError, never a wrong number', () => {
    fc.assert(
      fc.property(fc.double(), (dollars) => {
        let converted: number | undefined;
        try {
          converted = dollarsToMicros(dollars);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
          return;
        }
        expect(Number.isSafeInteger(converted)).toBe(true);
        expect(converted / 1_000_000).toBe(dollars);
      }),
      runs(200),
    );
  });
});
