/** GET /admin/system, shared by the System page and the Authentication page's methods table. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { SystemInfo } from './types.js';

export const SYSTEM_QUERY = ['admin', 'system'] as const;

export function useSystem() {
  return useQuery({ queryKey: SYSTEM_QUERY, queryFn: () => api.get<SystemInfo>('/admin/system') });
}
