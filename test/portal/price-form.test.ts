import { describe, expect, it } from 'vitest';
import type { PricingRow } from '../../portal/src/api/types.js';
import { formatPrice, parseAmount, priceBody, priceFormOf, tierText, validatePriceForm, type PriceForm } from '../../portal/src/features/pricing/price-form.js';

const sonnet: PricingRow = {
  model_prefix: 'claude-sonnet-4-5',
  input: 3,
  output: 15,
  cache_read: 0.3,
  cache_write_5m: 3.75,
  cache_write_1h: 6,
  tier_threshold: null,
  tier_input: null,
  tier_output: null,
  tier_cache_read: null,
  tier_cache_write_5m: null,
  tier_cache_write_1h: null,
  source: 'seed',
  note: null,
  updated_at: '2026-01-01T00:00:00.000Z',
};

const withPrices = (form: PriceForm, prices: Partial<PriceForm['prices']>, rest: Partial<PriceForm> = {}): PriceForm => ({ ...form, ...rest, prices: { ...form.prices, ...prices } });

describe('parseAmount', () => {
  it('reads empty as no price and anything else as a number', () => {
    expect(parseAmount(' ')).toBeNull();
    expect(parseAmount('0.30')).toBe(0.3);
    expect(parseAmount('abc')).toBeNaN();
  });
});

describe('priceFormOf', () => {
  it('shows a row as text, with empty fields for missing prices', () => {
    const form = priceFormOf(sonnet);
    expect(form.prefix).toBe('claude-sonnet-4-5');
    expect(form.prices.cache_read).toBe('0.3');
    expect(form.prices.tier_input).toBe('');
    expect(form.tierThreshold).toBe('');
  });

  it('starts a new row empty', () => {
    expect(priceFormOf().prices.input).toBe('');
  });
});

describe('validatePriceForm', () => {
  const blank = priceFormOf();

  it('needs a prefix and input and output for a new row', () => {
    expect(Object.keys(validatePriceForm(blank, 'add')).sort()).toEqual(['input', 'output', 'prefix']);
    expect(validatePriceForm(withPrices(blank, { input: '1', output: '5' }, { prefix: 'my-model' }), 'add')).toEqual({});
  });

  it('lets an edit leave prices empty', () => {
    expect(validatePriceForm(withPrices(priceFormOf(sonnet), { input: '' }), 'edit')).toEqual({});
  });

  it('refuses prefixes with spaces and prices out of range', () => {
    const errors = validatePriceForm(withPrices(blank, { input: '-1', output: 'x', cache_read: '100001' }, { prefix: 'my model' }), 'add');
    expect(Object.keys(errors).sort()).toEqual(['cache_read', 'input', 'output', 'prefix']);
  });

  it('ties tier prices and the threshold together', () => {
    const form = priceFormOf(sonnet);
    expect(validatePriceForm(withPrices(form, { tier_input: '6' }), 'edit').tierThreshold).toMatch(/threshold/);
    expect(Object.keys(validatePriceForm(withPrices(form, {}, { tierThreshold: '200000' }), 'edit')).sort()).toEqual(['tier_input', 'tier_output']);
    expect(validatePriceForm(withPrices(form, { tier_input: '6', tier_output: '22.5' }, { tierThreshold: '1.5' }), 'edit').tierThreshold).toMatch(/whole number/);
    expect(validatePriceForm(withPrices(form, { tier_input: '6', tier_output: '22.5' }, { tierThreshold: '200000' }), 'edit')).toEqual({});
  });
});

describe('priceBody', () => {
  it('sends every filled field for a new row', () => {
    const form = withPrices(priceFormOf(), { input: '1', output: '5', cache_write_1h: '2' }, { prefix: 'my-model', note: ' negotiated ' });
    expect(priceBody(form)).toEqual({ input: 1, output: 5, cache_write_1h: 2, note: 'negotiated' });
  });

  it('sends only what changed in an edit, so the rest keeps its value', () => {
    expect(priceBody(priceFormOf(sonnet), sonnet)).toEqual({});
    expect(priceBody(withPrices(priceFormOf(sonnet), { output: '15.0', cache_read: '0.25' }), sonnet)).toEqual({ cache_read: 0.25 });
  });

  it('clears a price with null when its field is emptied', () => {
    expect(priceBody(withPrices(priceFormOf(sonnet), { cache_write_1h: '' }), sonnet)).toEqual({ cache_write_1h: null });
  });

  it('sends a tier with its threshold', () => {
    const form = withPrices(priceFormOf(sonnet), { tier_input: '6', tier_output: '22.5' }, { tierThreshold: '200000' });
    expect(priceBody(form, sonnet)).toEqual({ tier_input: 6, tier_output: 22.5, tier_threshold: 200000 });
  });
});

describe('formatPrice', () => {
  it('shows prices exactly, to four decimals', () => {
    expect(formatPrice(3)).toBe('$3.00');
    expect(formatPrice(1.375)).toBe('$1.375');
    expect(formatPrice(0.0375)).toBe('$0.0375');
    expect(formatPrice(22.5)).toBe('$22.50');
    expect(formatPrice(null)).toBe('—');
  });
});

describe('tierText', () => {
  it('describes the long-prompt tier', () => {
    expect(tierText({ tier_threshold: null, tier_input: null, tier_output: null })).toBeUndefined();
    expect(tierText({ tier_threshold: 200000, tier_input: 6, tier_output: 22.5 })).toBe('Above 200,000 prompt tokens: $6.00 in, $22.50 out');
    expect(tierText({ tier_threshold: 100000, tier_input: null, tier_output: null })).toBe('Above 100,000 prompt tokens: tier prices not set');
  });
});
