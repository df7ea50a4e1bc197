import { describe, expect, it } from 'vitest';
import { listBodyOf, nextOrder } from '../../portal/src/lib/list-body.js';

const state = { pending: false, failed: false, total: 0, rows: 0, searching: false };

describe('listBodyOf', () => {
  it('loads, then shows rows, the empty state, or what a search did not find', () => {
    expect(listBodyOf({ ...state, pending: true })).toBe('loading');
    expect(listBodyOf({ ...state, total: 30, rows: 25 })).toBe('rows');
    expect(listBodyOf(state)).toBe('empty');
    expect(listBodyOf({ ...state, searching: true })).toBe('no-match');
  });

  // Regression: a failed list also said "This page is empty" under its error message.
  it('shows only the error when a list fails with nothing to show', () => {
    expect(listBodyOf({ ...state, failed: true })).toBe('failed');
    expect(listBodyOf({ ...state, failed: true, total: 40 })).toBe('failed');
  });

  it('keeps the last rows readable under an error', () => {
    expect(listBodyOf({ ...state, failed: true, total: 40, rows: 25 })).toBe('rows');
  });

  it('offers the way back from a page past the end', () => {
    expect(listBodyOf({ ...state, total: 40, rows: 0 })).toBe('past-end');
  });
});

describe('nextOrder', () => {
  it('flips the sorted column, and starts figures largest first and names A to Z', () => {
    expect(nextOrder(true, 'desc', true)).toBe('asc');
    expect(nextOrder(true, 'asc', false)).toBe('desc');
    expect(nextOrder(false, 'asc', true)).toBe('desc');
    expect(nextOrder(false, 'desc', false)).toBe('asc');
  });
});
