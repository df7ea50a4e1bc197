/**
 * A Price List price dimension → integer micro-dollars per million tokens, exactly. Pure.
 *
 * AWS quotes the older offer per 1K tokens (`unit: "1K tokens"`, `"0.0080000000"`) and the
 * Marketplace offer per million, either as `unit: "1M tokens"` or as `unit: "Units"` with the
 * quantity only in the description ("AWS Marketplace software usage|us-east-1|Million Input
 * Tokens Regional"). A unit we cannot read yields undefined: a price 1000× off is worse than none.
 */

/** How many tokens one priced unit is, or undefined when the dimension does not say. */
export function tokensPerUnit(unit: string | undefined, description: string | undefined): number | undefined {
  const u = (unit ?? '').trim().toLowerCase();
  if (/^(1k|1,?000) tokens?$/.test(u)) return 1_000;
  if (/^(1m|1,?000,?000) tokens?$/.test(u)) return 1_000_000;
  if (u !== 'units' && u !== 'unit' && u !== '') return undefined;
  const d = (description ?? '').toLowerCase();
  if (/\bmillion\b|\bper 1m\b/.test(d)) return 1_000_000;
  if (/\bthousand\b|\bper 1k\b/.test(d)) return 1_000;
  return undefined;
}

const TEN = 10n;

/**
 * `usd` dollars per `perTokens` tokens as micro-dollars per million tokens, rounded half up, in
 * BigInt so "0.0080000000" per 1K is exactly 8_000_000. Undefined for a malformed amount.
 */
export function microsPerMTok(usd: string | undefined, perTokens: number): number | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec((usd ?? '').trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  const value = BigInt(match[1]! + fraction);
  const numerator = value * TEN ** 12n;
  const denominator = BigInt(perTokens) * TEN ** BigInt(fraction.length);
  const micros = (numerator * 2n + denominator) / (2n * denominator);
  return micros <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(micros) : undefined;
}
