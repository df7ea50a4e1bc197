/**
 * Reading the analytics API (portal-contract §3) for a time range: every route takes `from`, `to`
 * and `granularity`, and its answer is cached per range and route, so pages sharing a range share
 * the answers.
 */
import { useQuery } from '@tanstack/react-query';
import { api, listFetcher, type Query } from '../api/client.js';
import type { TimeRange } from './time-range.js';

export const rangeQuery = (range: TimeRange): Query => ({ from: range.from, to: range.to, granularity: range.granularity });

export function useAnalytics<T>(path: string, range: TimeRange, extra: Query = {}, enabled = true) {
  return useQuery({
    queryKey: ['analytics', path, range, extra],
    queryFn: () => api.get<T>(path, { ...rangeQuery(range), ...extra }),
    enabled,
  });
}

/** A DataTable's fetcher for an analytics table route over the range, and the query key that goes with it. */
export function analyticsTable<T>(path: string, range: TimeRange, extra: Query = {}) {
  return { queryKey: ['analytics', path, range, extra] as const, fetchPage: listFetcher<T>(path, { ...rangeQuery(range), ...extra }) };
}
