/**
 * What a server-side list shows under its toolbar, decided from the query's state alone (pure,
 * test/portal/list-body.test.ts), so every list tells the reader the same thing in the same case.
 */

export type ListBody = 'loading' | 'failed' | 'no-match' | 'empty' | 'rows' | 'past-end';

export interface ListState {
  readonly pending: boolean;
  readonly failed: boolean;
  /** Rows matching the filter, on every page. */
  readonly total: number;
  /** Rows on the page shown (kept from the last answer while a new one loads). */
  readonly rows: number;
  readonly searching: boolean;
}

export function listBodyOf(state: ListState): ListBody {
  if (state.pending) return 'loading';
  // The rows of the last answer stay readable under the error; without any, the error says it all.
  if (state.rows > 0) return 'rows';
  if (state.failed) return 'failed';
  if (state.total === 0) return state.searching ? 'no-match' : 'empty';
  // Rows exist, but not on this page (the address asked for a page past the end).
  return 'past-end';
}

/**
 * The order a header click asks for: the other direction on the sorted column; on another column,
 * largest first for figures and A to Z for names.
 */
export function nextOrder(sortedHere: boolean, current: 'asc' | 'desc', figures: boolean): 'asc' | 'desc' {
  if (sortedHere) return current === 'desc' ? 'asc' : 'desc';
  return figures ? 'desc' : 'asc';
}
