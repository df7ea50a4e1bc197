import type { QueryClient } from '@tanstack/react-query';

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
