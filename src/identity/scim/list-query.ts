/**
 * One page of a filtered SCIM list (RFC 7644 §3.4.2.4): `startIndex` is 1-based, `count` is
 * capped at MAX_RESULTS, and totalResults counts every match, not just the page.
 */
import { compileFilter } from './filter.js';
import { listResponse, MAX_RESULTS } from './schemas.js';
import { invalidValue } from './scim-errors.js';

export interface ListQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw invalidValue(`${name} must be an integer`);
  return Number(value);
}

export function listPage<T extends object>(resources: readonly T[], query: ListQuery) {
  const matches = resources.filter(compileFilter(query.filter));
  // Out-of-range values are clamped, as RFC 7644 says to treat them, rather than refused.
  const startIndex = Math.max(1, integer(query.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_RESULTS, Math.max(0, integer(query.count, 'count') ?? MAX_RESULTS));
  return listResponse(matches.slice(startIndex - 1, startIndex - 1 + count), matches.length, startIndex);
}
