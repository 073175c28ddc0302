import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { createSession } from '../api';
import { LoadingState } from '../components/loading-state';
import { useConsoleConfig } from '../console-config';
import { safeNext, useSession } from '../session';
import { signIn, type SignInStep } from '../sign-in';
import { useTitle } from '../use-title';

type NewPasswordStep = Extract<SignInStep, { kind: 'new-password' }>;

/**
 * Sign-in for administrators: SRP against the internal console pool with amazon-cognito-identity-js,
 * then the ID token is traded for the session cookie (POST /console/api/session) and forgotten.
 */
export function LoginPage() {
  useTitle('Sign in');
  const { state, signedIn } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const { config, error: configError } = useConsoleConfig();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [newPasswordAgain, setNewPasswordAgain] = useState('');
  const [challenge, setChallenge] = useState<NewPasswordStep | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  if (state.status === 'loading') return <LoadingState label="Checking your session…" page />;
  if (state.status === 'signed-in' && !busy) return <Navigate to={next} replace />;

  const finish = async (step: SignInStep) => {
    if (step.kind === 'new-password') {
      setChallenge(step);
      setPassword('');
      return;
    }
    const session = await createSession(step.idToken);
    signedIn(session);
    navigate(next, { replace: true });
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    if (!config || busy) return;
    void run(async () => finish(await signIn(config, username.trim(), password)));
  };

  const submitNewPassword = (event: FormEvent) => {
    event.preventDefault();
    if (!challenge || busy) return;
    if (newPassword !== newPasswordAgain) {
      setError('The two passwords are not the same.');
      return;
    }
    void run(async () => finish(await challenge.complete(newPassword)));
  };

  return (
    <main className="login">
      <div className="login-card">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          <span>
            Cognate <span className="brand-sub">console</span>
          </span>
        </div>
        {challenge ? (
          <form onSubmit={submitNewPassword} noValidate>
            <h1>Choose a new password</h1>
            <p className="muted">Your account has a temporary password. Choose the one you will use from now on.</p>
            <div className="field">
              <label htmlFor="new-password">New password</label>
              <input id="new-password" type="password" autoComplete="new-password" required value={newPassword} onChange={(e) => setNewPassword(e.target.value)} autoFocus />
            </div>
            <div className="field">
              <label htmlFor="new-password-again">New password, again</label>
              <input id="new-password-again" type="password" autoComplete="new-password" required value={newPasswordAgain} onChange={(e) => setNewPasswordAgain(e.target.value)} />
            </div>
            {error && (
              <p className="callout callout-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="button button-primary button-block" disabled={busy || !newPassword}>
              {busy ? 'Saving…' : 'Set password and sign in'}
            </button>
          </form>
        ) : (
          <form onSubmit={submitPassword}>
            <h1>Sign in</h1>
            <p className="muted">Administrators of this Cognate server only.</p>
            <div className="field">
              <label htmlFor="username">Username</label>
              <input id="username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
            </div>
            <div className="field">
              <label htmlFor="password">Password</label>
              <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </div>
            {(error ?? configError) && (
              <p className="callout callout-error" role="alert">
                {error ?? `The console is not available: ${configError}`}
              </p>
            )}
            <button type="submit" className="button button-primary button-block" disabled={busy || !config}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
