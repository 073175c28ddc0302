import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { call } from '../api';
import { attribute, formatDate, type AdminGetUserOutput } from '../cognito';
import { ConfirmDialog } from '../components/confirm-dialog';
import { CopyValue } from '../components/copy-value';
import { ErrorState } from '../components/error-state';
import { LoadingState } from '../components/loading-state';
import { StatusBadge } from '../components/status-badge';
import { useOperation } from '../use-operation';
import { useTitle } from '../use-title';
import { usePool } from './pool-layout';

/** /console/pools/:poolId/users/:username — one user's attributes; confirm, disable/enable, reset password, delete. */
export function UserPage() {
  const { pool, reload: reloadPool } = usePool();
  const { username = '' } = useParams();
  const navigate = useNavigate();
  const usersUrl = `/pools/${encodeURIComponent(pool.Id)}/users`;
  const { data, error, reload } = useOperation<AdminGetUserOutput>('AdminGetUser', { UserPoolId: pool.Id, Username: username });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | undefined>();
  const [deleting, setDeleting] = useState(false);
  const [resetting, setResetting] = useState(false);
  const user = data;
  const email = attribute(user?.UserAttributes, 'email');
  useTitle(`${email ?? username} · ${pool.Name}`);

  const act = async (operation: string, done: string) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await call(operation, { UserPoolId: pool.Id, Username: username });
      setMessage({ tone: 'success', text: done });
      reload();
    } catch (err) {
      setMessage({ tone: 'error', text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    await call('AdminDeleteUser', { UserPoolId: pool.Id, Username: username });
    setDeleting(false);
    reloadPool();
    navigate(usersUrl, { state: { flash: `User ${email ?? username} deleted.` } });
  };

  /** AdminResetUserPassword; a refusal (e.g. no verified email) stays in the dialog. */
  const resetPassword = async () => {
    await call('AdminResetUserPassword', { UserPoolId: pool.Id, Username: username });
    setResetting(false);
    setMessage({ tone: 'success', text: 'Password reset: the user got a code by email and must choose a new password before signing in again.' });
    reload();
  };

  const back = (
    <Link to={usersUrl} className="back-link">
      ← All users
    </Link>
  );

  if (error) {
    return (
      <>
        {back}
        <ErrorState title="Could not load this user" message={error} onRetry={reload} />
      </>
    );
  }
  if (!user) return <LoadingState label="Loading the user…" />;

  const enabled = user.Enabled !== false;
  const emailVerified = attribute(user.UserAttributes, 'email_verified') === 'true';
  return (
    <>
      {back}
      <div className="section-header">
        <div>
          <h2 className="user-title">{email ?? user.Username}</h2>
          <p className="status-line">
            <StatusBadge value={user.UserStatus} /> <StatusBadge value={enabled ? 'Enabled' : 'Disabled'} />
          </p>
        </div>
        <div className="page-actions">
          {user.UserStatus === 'UNCONFIRMED' && (
            <button type="button" className="button button-primary" disabled={busy} onClick={() => act('AdminConfirmSignUp', 'User confirmed: they can sign in now.')}>
              Confirm user
            </button>
          )}
          {enabled ? (
            <button type="button" className="button" disabled={busy} onClick={() => act('AdminDisableUser', 'User disabled: they can no longer sign in.')}>
              Disable user
            </button>
          ) : (
            <button type="button" className="button" disabled={busy} onClick={() => act('AdminEnableUser', 'User enabled.')}>
              Enable user
            </button>
          )}
          <button type="button" className="button button-danger" disabled={busy} onClick={() => setDeleting(true)}>
            Delete user
          </button>
        </div>
      </div>

      {message && (
        <div className={message.tone === 'success' ? 'callout callout-success' : 'callout callout-error'} role={message.tone === 'success' ? 'status' : 'alert'}>
          <p>{message.text}</p>
        </div>
      )}

      <div className="grid-2">
        <section className="panel panel-padded" aria-labelledby="user-info">
          <h3 id="user-info" className="panel-title">
            User information
          </h3>
          <dl className="details">
            <dt>Username</dt>
            <dd>
              <CopyValue value={user.Username} label="username" />
            </dd>
            <dt>Status</dt>
            <dd>{user.UserStatus}</dd>
            <dt>Enabled</dt>
            <dd>{enabled ? 'Yes' : 'No'}</dd>
            <dt>Created</dt>
            <dd>{formatDate(user.UserCreateDate)}</dd>
            <dt>Last modified</dt>
            <dd>{formatDate(user.UserLastModifiedDate)}</dd>
          </dl>
        </section>
        <section className="panel panel-padded" aria-labelledby="user-password">
          <h3 id="user-password" className="panel-title">
            Password
          </h3>
          <p id="reset-password-note" className="muted">
            {emailVerified
              ? 'Resetting the password mails the user a code; they must choose a new password with it before they can sign in again.'
              : 'This user has no verified email address, so a reset code cannot be sent to them.'}
          </p>
          <button type="button" className="button" disabled={busy} aria-describedby="reset-password-note" onClick={() => setResetting(true)}>
            Reset password
          </button>
        </section>
      </div>

      <section className="panel" aria-labelledby="user-attributes">
        <h3 id="user-attributes" className="panel-title panel-title-padded">
          Attributes
        </h3>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Attribute</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {(user.UserAttributes ?? []).map((a) => (
                <tr key={a.Name}>
                  <td>
                    <code>{a.Name}</code>
                  </td>
                  <td className="break">{a.Value ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <ConfirmDialog open={resetting} title="Reset this user's password?" confirmLabel="Reset password" onConfirm={resetPassword} onClose={() => setResetting(false)}>
        <p>The user will get a code by email and must choose a new password before signing in again.</p>
        <p>
          <strong>{email ?? user.Username}</strong> is signed out of every app now.
        </p>
      </ConfirmDialog>

      <ConfirmDialog open={deleting} title="Delete this user?" confirmLabel="Delete user" onConfirm={remove} onClose={() => setDeleting(false)}>
        <p>
          <strong>{email ?? user.Username}</strong> is deleted from {pool.Name} for good and can no longer sign in. They could sign up again.
        </p>
      </ConfirmDialog>
    </>
  );
}
