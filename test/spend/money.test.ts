import { describe, expect, test } from 'vitest';
import { dollarsToMicros, microsToDollars } from '../../src/spend/money.js';

describe('money conversion', () => {
  test.each([
    [0, 0],
    [3, 3_000_000],
    [0.275, 275_000],
    [34.375, 34_375_000],
    [0.1375, 137_500],
    [0.000001, 1],
    [0.1, 100_000],
    [22.5, 22_500_000],
    [123456.789012, 123_456_789_012],
  ])('%d dollars ↔ %d micro-dollars, both ways exactly', (dollars, micros) => {
    expect(dollarsToMicros(dollars)).toBe(micros);
    expect(microsToDollars(micros)).toBe(dollars);
  });

  test('every micro-dollar amount below $1000 survives a round trip through dollars', () => {
    for (let micros = 0; micros < 1_000_000_000; micros += 999_983) {
      expect(dollarsToMicros(microsToDollars(micros))).toBe(micros);
    }
  });

  test.each([[-1], [0.0000001], [0.1234567], [Number.NaN], [Number.POSITIVE_INFINITY], [2e9]])('%d is refused, not rounded', (dollars) => {
    expect(() => dollarsToMicros(dollars)).toThrow(RangeError);
  });
});
