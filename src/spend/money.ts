/**
 * Dollars ↔ micro-dollars. Money is stored and summed as integer micro-dollars; decimal dollars
 * exist only at the API boundary, so conversion must be exact both ways (0.275 ↔ 275_000).
 */

const MICROS_PER_DOLLAR = 1_000_000;
/** Largest dollar figure we accept: keeps every micro-dollar amount an exact JS integer. */
const MAX_DOLLARS = 1_000_000_000;

/**
 * Integer micro-dollars to dollars. Division of two exactly representable integers is correctly
 * rounded, so the result is the double nearest the decimal value: what `0.275` parses to.
 */
export function microsToDollars(micros: number): number {
  return micros / MICROS_PER_DOLLAR;
}

/**
 * Dollars to integer micro-dollars. Rejects what has no exact micro-dollar value (more than six
 * decimals, negative, non-finite) rather than rounding money silently.
 */
export function dollarsToMicros(dollars: number): number {
  if (!Number.isFinite(dollars) || dollars < 0 || dollars > MAX_DOLLARS) {
    throw new RangeError(`${dollars} is not a dollar amount between 0 and ${MAX_DOLLARS}`);
  }
  const micros = Math.round(dollars * MICROS_PER_DOLLAR);
  // The round trip holds exactly when the input was a decimal of at most six places.
  if (micros / MICROS_PER_DOLLAR !== dollars) {
    throw new RangeError(`${dollars} has more than six decimal places`);
  }
  return micros;
}
