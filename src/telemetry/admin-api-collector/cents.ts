/**
 * The cost report gives amounts as decimal strings in cents ("123.78912" is $1.2378912). Floats
 * would drift as buckets are summed and revised, so amounts become integer pico-dollars
 * (10^-12 USD, ten decimal places of a cent) and are only turned into a float once, when a
 * total is reported.
 */
const CENT_DECIMALS = 10;
export const PICO_PER_USD = 10n ** 12n;
const PICO_PER_MICRO = 10n ** 6n;

/** Pico-dollars in a decimal cents string; digits beyond 10^-10 cents are beyond any price and dropped. */
export function centsToPicoUsd(amount: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ''] = match;
  const pico = BigInt(whole! + fraction.slice(0, CENT_DECIMALS).padEnd(CENT_DECIMALS, '0'));
  return sign === '-' ? -pico : pico;
}

export function microUsdToPico(micros: bigint): bigint {
  return micros * PICO_PER_MICRO;
}

/** Dollars as an exact decimal string, for log lines ("1.2378912"). */
export function formatPicoUsd(pico: bigint): string {
  const negative = pico < 0n;
  const magnitude = negative ? -pico : pico;
  const whole = magnitude / PICO_PER_USD;
  const fraction = (magnitude % PICO_PER_USD).toString().padStart(12, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Dollars as the nearest float, for an instrument's value. */
export function picoToUsd(pico: bigint): number {
  return Number(formatPicoUsd(pico));
}
