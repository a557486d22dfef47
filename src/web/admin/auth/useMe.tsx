// Who is logged in: GET /api/me, shared through react-query under the key ['me'].
// null = not logged in; undefined = still asking.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, authEvents, type Me } from '../api.js';
import { shell } from '../i18n/index.js';

export const ME_KEY = ['me'] as const;

export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

interface AuthValue {
  me: Me | null | undefined;
  /** The /api/me request failed for another reason than 401 (network, server error). */
  error: Error | null;
  retry: () => void;
  can: (perm: string) => boolean;
  /** A message for the login page (session expired …); cleared once shown. */
  notice: string | null;
  setNotice: (msg: string | null) => void;
  /** Forget everything cached for the previous user. */
  signedOut: (notice?: string) => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const meQuery = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });

  const signedOut = useCallback(
    (msg?: string) => {
      // Another user may log in next on this browser: nothing of this one's data may stay cached.
      // (The ['me'] query itself stays in the cache so its observers see the change.)
      const others = { predicate: (q: { queryKey: readonly unknown[] }) => q.queryKey[0] !== ME_KEY[0] };
      void qc.cancelQueries(others);
      qc.removeQueries(others);
      qc.setQueryData(ME_KEY, null);
      setNotice(msg ?? null);
    },
    [qc],
  );

  useEffect(() => {
    const onUnauthorized = () => {
      const wasIn = Boolean(qc.getQueryData<Me | null>(ME_KEY));
      // The first /api/me of a visitor without a session also answers 401: that is no timeout.
      if (wasIn) signedOut(shell.auth.sessionExpired);
      else qc.setQueryData(ME_KEY, null);
    };
    const onPasswordChange = () => {
      const me = qc.getQueryData<Me | null>(ME_KEY);
      if (me) qc.setQueryData(ME_KEY, { ...me, mustChangePassword: true });
    };
    authEvents.addEventListener('unauthorized', onUnauthorized);
    authEvents.addEventListener('password-change', onPasswordChange);
    return () => {
      authEvents.removeEventListener('unauthorized', onUnauthorized);
      authEvents.removeEventListener('password-change', onPasswordChange);
    };
  }, [qc, signedOut]);

  const me = meQuery.data;
  const value = useMemo<AuthValue>(() => {
    const perms = new Set(me?.permissions ?? []);
    return {
      me: meQuery.isPending ? undefined : (me ?? null),
      error: meQuery.isError ? (meQuery.error as Error) : null,
      retry: () => void meQuery.refetch(),
      can: (perm: string) => perms.has(perm),
      notice,
      setNotice,
      signedOut,
    };
  }, [me, meQuery.isPending, meQuery.isError, meQuery.error, meQuery.refetch, notice, signedOut]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The logged-in user (inside the app shell, where one is guaranteed). */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a logged-in user');
  return me;
}

/** Permission check for the current user: `const can = useCan(); can('people:write')`. */
export function useCan(): (perm: string) => boolean {
  return useAuth().can;
}
