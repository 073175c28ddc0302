// Who is signed in. The session itself is an HttpOnly cookie; the browser only learns the username and
// the CSRF token to send with state-changing calls.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { deleteSession, getSession, setCsrfToken, whenUnauthorized, type Session } from './api';
import { LoadingState } from './components/loading-state';
import { ErrorState } from './components/error-state';

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; session: Session }
  | { status: 'error'; message: string };

interface SessionValue {
  state: SessionState;
  signedIn(session: Session): void;
  signOut(): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    getSession().then(
      (session) => {
        if (!live) return;
        setCsrfToken(session?.csrfToken ?? '');
        setState(session ? { status: 'signed-in', session } : { status: 'signed-out' });
      },
      (err: unknown) => live && setState({ status: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(() => {
    whenUnauthorized(() => {
      setCsrfToken('');
      setState({ status: 'signed-out' });
    });
  }, []);

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'signed-in', session });
  }, []);

  const signOut = useCallback(async () => {
    await deleteSession();
    setCsrfToken('');
    setState({ status: 'signed-out' });
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ state, signedIn, signOut, retry }), [state, signedIn, signOut, retry]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** A path inside the console that is safe to return to after signing in (never another origin). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

/** Renders its children for a signed-in administrator; otherwise the login page, remembering where they were going. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { state, retry } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <LoadingState label="Checking your session…" page />;
  if (state.status === 'error') {
    return (
      <main className="page-center">
        <ErrorState title="The console could not reach the server" message={state.message} onRetry={retry} />
      </main>
    );
  }
  if (state.status === 'signed-out') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
