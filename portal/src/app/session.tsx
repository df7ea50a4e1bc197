/**
 * Who is signed in. The session lives in the gateway's HttpOnly cookie; the portal only learns
 * the user, the CSRF token for writes, the gateway URL and version (GET /auth/session). When any
 * call answers 401 the session is dropped and the sign-in screen shows, keeping the current URL.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { api, ApiProblem, onSessionLost, setCsrfToken } from '../api/client.js';
import type { SessionInfo } from '../api/types.js';

interface SessionContextValue {
  readonly session: SessionInfo;
  readonly isAdmin: boolean;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export const SESSION_QUERY = ['auth', 'session'] as const;

async function fetchSession(): Promise<SessionInfo | null> {
  try {
    const session = await api.get<SessionInfo>('/auth/session');
    setCsrfToken(session.csrf_token);
    return session;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) {
      setCsrfToken(undefined);
      return null;
    }
    throw error;
  }
}

export function useSessionQuery() {
  return useQuery({ queryKey: SESSION_QUERY, queryFn: fetchSession, staleTime: Infinity, retry: false });
}

export function SessionProvider({ session, children }: { session: SessionInfo; children: ReactNode }) {
  const queryClient = useQueryClient();
  const drop = useCallback(() => {
    setCsrfToken(undefined);
    queryClient.clear();
    queryClient.setQueryData(SESSION_QUERY, null);
  }, [queryClient]);

  useEffect(() => onSessionLost(drop), [drop]);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      isAdmin: session.user.role === 'admin',
      async signOut() {
        await api.post('/auth/logout').catch(() => undefined);
        drop();
      },
    }),
    [session, drop],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
