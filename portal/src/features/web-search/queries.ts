/**
 * The web search state: the gateway's (admins) and the caller's own (everyone). Both keys share
 * WEB_SEARCH_PREFIX, so a change saved anywhere refreshes both: the caller's own view carries the
 * mode too, and kept for the cache's 15 seconds it showed the mode from before a Settings change.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { MyWebSearch, WebSearchState } from './types.js';

export const WEB_SEARCH_PREFIX = ['web-search'] as const;
export const WEB_SEARCH_QUERY = [...WEB_SEARCH_PREFIX, 'gateway'] as const;
export const MY_WEB_SEARCH_QUERY = [...WEB_SEARCH_PREFIX, 'mine'] as const;

export function useWebSearch(enabled = true) {
  return useQuery({ queryKey: WEB_SEARCH_QUERY, queryFn: () => api.get<WebSearchState>('/admin/web-search'), enabled });
}

export function useMyWebSearch() {
  return useQuery({ queryKey: MY_WEB_SEARCH_QUERY, queryFn: () => api.get<MyWebSearch>('/admin/me/web-search') });
}
