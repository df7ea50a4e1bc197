/**
 * The analytics pages' shared time range, kept in the address bar (see range-search.ts). `now` is
 * fixed when the choice changes, so "last 7 days" asks the server the same question on every
 * render, and cached answers are reused, until the viewer picks again or reloads.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { readRangeChoice, resolveRange, writeRangeChoice, type RangeChoice } from './range-search.js';
import type { TimeRange } from './time-range.js';

export interface TimeRangeState {
  readonly choice: RangeChoice;
  readonly range: TimeRange;
  readonly setChoice: (choice: RangeChoice) => void;
}

export function useTimeRange(): TimeRangeState {
  const [search, setSearch] = useSearchParams();
  // Keyed on the range's own parameters only: a table's sort or page changing must not move `now`.
  const key = ['range', 'from', 'to', 'granularity'].map((name) => search.get(name) ?? '').join('|');
  const choice = useMemo(() => readRangeChoice(search), [key]);
  const resolved = useMemo(() => resolveRange(choice, Date.now()), [choice]);
  const setChoice = useCallback((next: RangeChoice) => setSearch((current) => writeRangeChoice(current, next)), [setSearch]);
  return { choice, range: resolved, setChoice };
}
