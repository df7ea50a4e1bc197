/**
 * The price form and the body of PUT /admin/pricing/{prefix}: prices in USD per million tokens
 * as typed text, an empty field meaning "no price" (null). A field left out of the body keeps
 * its value, so an edit sends only what changed. Pure, so it is unit-tested
 * (test/portal/price-form.test.ts).
 */
import type { PricingRow, SetPricingInput } from '../../api/types.js';

export const BASE_PRICES = ['input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h'] as const;
export const TIER_PRICES = ['tier_input', 'tier_output', 'tier_cache_read', 'tier_cache_write_5m', 'tier_cache_write_1h'] as const;
export type PriceField = (typeof BASE_PRICES)[number] | (typeof TIER_PRICES)[number];

/** Field labels; the form's legends give the unit (USD per million tokens). */
export const PRICE_LABELS: Record<PriceField, string> = {
  input: 'Input',
  output: 'Output',
  cache_read: 'Cache read',
  cache_write_5m: 'Cache write 5 min',
  cache_write_1h: 'Cache write 1 h',
  tier_input: 'Tier input',
  tier_output: 'Tier output',
  tier_cache_read: 'Tier cache read',
  tier_cache_write_5m: 'Tier cache write 5 min',
  tier_cache_write_1h: 'Tier cache write 1 h',
};

export interface PriceForm {
  readonly prefix: string;
  readonly prices: Readonly<Record<PriceField, string>>;
  readonly tierThreshold: string;
  readonly note: string;
}

export type PriceFormErrors = Partial<Record<PriceField | 'prefix' | 'tierThreshold', string>>;

/** The API's limit on one price. */
export const MAX_PRICE = 100_000;
const ALL_PRICES = [...BASE_PRICES, ...TIER_PRICES];
const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

export function priceFormOf(row?: PricingRow): PriceForm {
  return {
    prefix: row?.model_prefix ?? '',
    prices: Object.fromEntries(ALL_PRICES.map((field) => [field, text(row?.[field])])) as Record<PriceField, string>,
    tierThreshold: text(row?.tier_threshold),
    note: row?.note ?? '',
  };
}

const usdPrice = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });

/** $3.00, $1.375, $0.0375: a price is shown exactly (to the micro-dollar per MTok it is stored in, within four decimals). */
export function formatPrice(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : usdPrice.format(value);
}

/** The long-prompt tier under a model's prefix, or undefined without one. */
export function tierText(row: Pick<PricingRow, 'tier_threshold' | 'tier_input' | 'tier_output'>): string | undefined {
  if (row.tier_threshold === null) return undefined;
  const above = `Above ${row.tier_threshold.toLocaleString('en-US')} prompt tokens`;
  if (row.tier_input === null && row.tier_output === null) return `${above}: tier prices not set`;
  return `${above}: ${formatPrice(row.tier_input)} in, ${formatPrice(row.tier_output)} out`;
}

/** '' → null; a number otherwise (NaN when it is not one, which validation reports). */
export function parseAmount(value: string): number | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : Number(trimmed);
}

export function validatePriceForm(form: PriceForm, mode: 'add' | 'edit'): PriceFormErrors {
  const errors: PriceFormErrors = {};
  if (mode === 'add' && !/^\S{1,200}$/.test(form.prefix.trim())) errors.prefix = 'Enter a model id prefix without spaces, e.g. claude-sonnet-4-5.';
  for (const field of ALL_PRICES) {
    const amount = parseAmount(form.prices[field]);
    if (amount !== null && !(Number.isFinite(amount) && amount >= 0 && amount <= MAX_PRICE)) errors[field] = `A price from 0 to ${MAX_PRICE.toLocaleString('en-US')} $/MTok.`;
  }
  if (mode === 'add') {
    for (const field of ['input', 'output'] as const) if (!errors[field] && parseAmount(form.prices[field]) === null) errors[field] = 'A new row needs this price.';
  }
  const threshold = parseAmount(form.tierThreshold);
  const anyTierPrice = TIER_PRICES.some((field) => parseAmount(form.prices[field]) !== null);
  if (threshold !== null && !(Number.isSafeInteger(threshold) && threshold > 0)) errors.tierThreshold = 'A whole number of prompt tokens, e.g. 200000.';
  else if (threshold === null && anyTierPrice) errors.tierThreshold = 'Tier prices apply above a threshold: enter it, or clear the tier prices.';
  else if (threshold !== null) {
    for (const field of ['tier_input', 'tier_output'] as const) if (!errors[field] && parseAmount(form.prices[field]) === null) errors[field] = 'A tier needs this price.';
  }
  return errors;
}

/** The PUT body: with `original`, only the fields that differ from it; without, every filled field. */
export function priceBody(form: PriceForm, original?: PricingRow): SetPricingInput {
  const body: Record<string, number | string | null> = {};
  for (const field of ALL_PRICES) {
    const amount = parseAmount(form.prices[field]);
    if (original ? amount !== original[field] : amount !== null) body[field] = amount;
  }
  const threshold = parseAmount(form.tierThreshold);
  if (original ? threshold !== original.tier_threshold : threshold !== null) body.tier_threshold = threshold;
  const note = form.note.trim() || null;
  if (original ? note !== original.note : note !== null) body.note = note;
  return body as SetPricingInput;
}
