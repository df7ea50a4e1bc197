/**
 * A page's choice among a few options (group by, metric, table view) kept in the address bar with
 * the time range, so the link to a view opens that view. An unknown value reads as the default,
 * and the default is left out of the address.
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export function useSearchOption<T extends string>(name: string, allowed: readonly T[], fallback: T): [T, (value: T) => void] {
  const [search, setSearch] = useSearchParams();
  const raw = search.get(name);
  const value = allowed.find((option) => option === raw) ?? fallback;
  const set = useCallback(
    (next: T) =>
      setSearch(
        (current) => {
          const params = new URLSearchParams(current);
          if (next === fallback) params.delete(name);
          else params.set(name, next);
          return params;
        },
        { replace: true },
      ),
    [setSearch, name, fallback],
  );
  return [value, set];
}
