import { Link, NavLink, Outlet, useOutletContext, useParams } from 'react-router-dom';
import type { UserPool } from '../cognito';
import { ErrorState } from '../components/error-state';
import { LoadingState } from '../components/loading-state';
import { PageHeader } from '../components/page-header';
import { CopyValue } from '../components/copy-value';
import { useConsoleConfig } from '../console-config';
import { useOperation } from '../use-operation';

export interface PoolContext {
  pool: UserPool;
  internal: boolean;
  reload(): void;
}

/** The pages of one pool (/console/pools/:poolId/…): loads the pool once, shows its name and the tabs. */
export function PoolLayout() {
  const { poolId = '' } = useParams();
  const { config } = useConsoleConfig();
  const { data, error, reload } = useOperation<{ UserPool: UserPool }>('DescribeUserPool', { UserPoolId: poolId });
  const pool = data?.UserPool;

  if (error) {
    return (
      <>
        <PageHeader title="User pool" crumbs={[{ label: 'User pools', to: '/' }, { label: poolId }]} />
        <ErrorState title="Could not open this user pool" message={error} onRetry={reload}>
          <Link to="/" className="button">
            All user pools
          </Link>
        </ErrorState>
      </>
    );
  }
  if (!pool) return <LoadingState label="Loading the user pool…" />;

  const base = `/pools/${encodeURIComponent(pool.Id)}`;
  const internal = pool.Id === config?.userPoolId;
  return (
    <>
      <PageHeader
        title={
          <>
            {pool.Name}
            {internal && <span className="badge badge-neutral badge-inline">internal</span>}
          </>
        }
        crumbs={[{ label: 'User pools', to: '/' }, { label: pool.Name }]}
        subtitle={<CopyValue value={pool.Id} label="Pool Id" />}
      />
      <nav className="tabs" aria-label="User pool">
        <NavLink to={base} end>
          Overview
        </NavLink>
        <NavLink to={`${base}/clients`}>App clients</NavLink>
        <NavLink to={`${base}/users`}>Users</NavLink>
      </nav>
      <Outlet context={{ pool, internal, reload } satisfies PoolContext} />
    </>
  );
}

export function usePool(): PoolContext {
  return useOutletContext<PoolContext>();
}
