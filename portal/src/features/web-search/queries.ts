/** The web search state: the gateway's (admins) and the caller's own (everyone). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { MyWebSearch, WebSearchState } from './types.js';

export const WEB_SEARCH_QUERY = ['admin', 'web-search'] as const;
export const MY_WEB_SEARCH_QUERY = ['me', 'web-search'] as const;

export function useWebSearch(enabled = true) {
  return useQuery({ queryKey: WEB_SEARCH_QUERY, queryFn: () => api.get<WebSearchState>('/admin/web-search'), enabled });
}

export function useMyWebSearch() {
  return useQuery({ queryKey: MY_WEB_SEARCH_QUERY, queryFn: () => api.get<MyWebSearch>('/admin/me/web-search') });
}
