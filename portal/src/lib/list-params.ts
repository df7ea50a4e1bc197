/**
 * A server-side list's state (search, sort, order, page, page size) kept in the address bar, so
 * a filtered, sorted page is a link someone can share and the back button works. Tables other
 * than a page's main one use a prefix to keep their own parameters.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export interface ListParams {
  readonly q: string;
  readonly sort: string;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly offset: number;
}

export const PAGE_SIZES = [25, 50, 100] as const;

export function useListParams(defaults: { sort: string; order: 'asc' | 'desc'; limit?: number }, prefix = '') {
  const [search, setSearch] = useSearchParams();
  const name = (key: string) => (prefix ? `${prefix}.${key}` : key);

  const params = useMemo<ListParams>(() => {
    const limit = Number(search.get(name('limit'))) || defaults.limit || 25;
    const page = Math.max(1, Number(search.get(name('page'))) || 1);
    const order = search.get(name('order'));
    return {
      q: search.get(name('q')) ?? '',
      sort: search.get(name('sort')) ?? defaults.sort,
      order: order === 'asc' || order === 'desc' ? order : defaults.order,
      limit,
      offset: (page - 1) * limit,
    };
  }, [search, prefix, defaults.sort, defaults.order, defaults.limit]);

  const update = useCallback(
    (change: Partial<{ q: string; sort: string; order: 'asc' | 'desc'; limit: number; page: number }>) => {
      setSearch(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(change)) {
            if (value === undefined || value === '' || (key === 'page' && value === 1)) next.delete(name(key));
            else next.set(name(key), String(value));
          }
          // A new search or sort starts again at the first page.
          if (!('page' in change)) next.delete(name('page'));
          return next;
        },
        { replace: 'q' in change },
      );
    },
    [setSearch, prefix],
  );

  return { params, update };
}
