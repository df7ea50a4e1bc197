import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { MyBudget } from './types.js';

export const BUDGETS_QUERY = ['admin', 'budgets'] as const;
export const MY_BUDGETS_QUERY = ['admin', 'me', 'budgets'] as const;

/**
 * A budget shows on four lists: Budgets, the users' Budget column (the one that applies to each),
 * the teams' Team Budget, and the caller's own. A change to one refreshes them all.
 */
export async function refreshBudgetViews(queryClient: QueryClient): Promise<void> {
  await Promise.all(
    [BUDGETS_QUERY, MY_BUDGETS_QUERY, ['admin', 'users'], ['admin', 'teams']].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  );
}

/**
 * The caller's own budgets, as GET /admin/me/budgets answers (the Budgets page, the Dashboard and
 * the member's Usage page share this one cache entry, so each must read it in this shape).
 */
export function useMyBudgets(options: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: MY_BUDGETS_QUERY, queryFn: () => api.get<{ data: MyBudget[] }>('/admin/me/budgets'), enabled: options.enabled ?? true });
}
