/** GET /admin/notifications, and refreshing everything the page shows after a change. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../../api/client.js';
import type { NotificationsState } from './types.js';

export const NOTIFICATIONS_QUERY = ['admin', 'notifications'] as const;

export function useNotifications() {
  return useQuery({ queryKey: NOTIFICATIONS_QUERY, queryFn: () => api.get<NotificationsState>('/admin/notifications') });
}

/** After a save, test, activation or retry: the state, the outbox and the history all move (their keys share the prefix). */
export function useRefreshNotifications() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY }), [queryClient]);
}
