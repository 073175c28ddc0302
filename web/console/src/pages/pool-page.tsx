import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { call } from '../api';
import { formatDate, regionOf } from '../cognito';
import { ConfirmDialog } from '../components/confirm-dialog';
import { CopyValue } from '../components/copy-value';
import { Flash } from '../components/flash';
import { useTitle } from '../use-title';
import { usePool } from './pool-layout';

const yes = (v: boolean | undefined) => (v ? 'Yes' : 'No');
const list = (v: string[] | undefined) => (v && v.length > 0 ? v.join(', ') : 'None');

/** /console/pools/:poolId — the pool's identifiers, settings and password policy; delete it. */
export function PoolPage() {
  const { pool, internal, reload } = usePool();
  useTitle(pool.Name);
  // The estimated number of users changes as people sign up: refresh the pool on arrival.
  useEffect(reload, [reload]);
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const policy = pool.Policies?.PasswordPolicy ?? {};
  const signIn = pool.UsernameAttributes?.length
    ? `${list(pool.UsernameAttributes)} as username`
    : pool.AliasAttributes?.length
      ? `Username, or ${list(pool.AliasAttributes)}`
      : 'Username';

  const remove = async () => {
    await call('DeleteUserPool', { UserPoolId: pool.Id });
    setDeleting(false);
    navigate('/', { state: { flash: `User pool ${pool.Name} deleted.` } });
  };

  return (
    <>
      <Flash />
      <div className="grid-2">
        <section className="panel panel-padded" aria-labelledby="pool-overview">
          <h2 id="pool-overview" className="panel-title">
            Pool details
          </h2>
          <dl className="details">
            <dt>Pool Id</dt>
            <dd>
              <CopyValue value={pool.Id} label="Pool Id" />
            </dd>
            <dt>Pool ARN</dt>
            <dd>{pool.Arn ? <CopyValue value={pool.Arn} label="Pool ARN" /> : '—'}</dd>
            <dt>Region</dt>
            <dd>
              <code>{regionOf(pool.Id)}</code>
            </dd>
            <dt>Estimated users</dt>
            <dd>{pool.EstimatedNumberOfUsers ?? 0}</dd>
            <dt>Created</dt>
            <dd>{formatDate(pool.CreationDate)}</dd>
            <dt>Last modified</dt>
            <dd>{formatDate(pool.LastModifiedDate)}</dd>
          </dl>
        </section>
        <section className="panel panel-padded" aria-labelledby="pool-sign-in">
          <h2 id="pool-sign-in" className="panel-title">
            Sign-in and sign-up
          </h2>
          <dl className="details">
            <dt>Sign-in with</dt>
            <dd>{signIn}</dd>
            <dt>Case-sensitive usernames</dt>
            <dd>{yes(pool.UsernameConfiguration?.CaseSensitive ?? true)}</dd>
            <dt>Auto-verified attributes</dt>
            <dd>{list(pool.AutoVerifiedAttributes)}</dd>
            <dt>Self sign-up</dt>
            <dd>{pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly ? 'Off (administrators create users)' : 'Allowed'}</dd>
            <dt>MFA</dt>
            <dd>{pool.MfaConfiguration ?? 'OFF'}</dd>
            <dt>Deletion protection</dt>
            <dd>{pool.DeletionProtection ?? 'INACTIVE'}</dd>
          </dl>
        </section>
        <section className="panel panel-padded" aria-labelledby="pool-password">
          <h2 id="pool-password" className="panel-title">
            Password policy
          </h2>
          <dl className="details">
            <dt>Minimum length</dt>
            <dd>{policy.MinimumLength ?? 8} characters</dd>
            <dt>Uppercase letter</dt>
            <dd>{yes(policy.RequireUppercase)}</dd>
            <dt>Lowercase letter</dt>
            <dd>{yes(policy.RequireLowercase)}</dd>
            <dt>Number</dt>
            <dd>{yes(policy.RequireNumbers)}</dd>
            <dt>Symbol</dt>
            <dd>{yes(policy.RequireSymbols)}</dd>
            <dt>Temporary passwords expire after</dt>
            <dd>{policy.TemporaryPasswordValidityDays ?? 7} days</dd>
          </dl>
        </section>
        <section className="panel panel-padded panel-danger" aria-labelledby="pool-delete">
          <h2 id="pool-delete" className="panel-title">
            Delete this user pool
          </h2>
          {internal ? (
            <p className="muted">This is the console&apos;s own pool: its users are the console&apos;s administrators. It cannot be deleted.</p>
          ) : (
            <>
              <p className="muted">Deletes the pool, its app clients and all its users. Apps using its Pool Id stop working. This cannot be undone.</p>
              <button type="button" className="button button-danger" onClick={() => setDeleting(true)}>
                Delete user pool
              </button>
            </>
          )}
        </section>
      </div>
      <ConfirmDialog
        open={deleting}
        title={`Delete ${pool.Name}?`}
        confirmLabel="Delete user pool"
        requireText={pool.Name}
        onConfirm={remove}
        onClose={() => setDeleting(false)}
      >
        <p>
          The pool <code>{pool.Id}</code>, its app clients and its {pool.EstimatedNumberOfUsers ?? 0} users are deleted for good.
        </p>
      </ConfirmDialog>
    </>
  );
}
