import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatDate, type UserPoolSummary } from '../cognito';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { Flash } from '../components/flash';
import { LoadingState } from '../components/loading-state';
import { PageHeader } from '../components/page-header';
import { Pager } from '../components/pager';
import { useConsoleConfig } from '../console-config';
import { useOperation } from '../use-operation';
import { useTitle } from '../use-title';

const PAGE_SIZE = 20;

/** /console/ — every user pool, 20 a page. */
export function PoolsPage() {
  useTitle('User pools');
  const { config } = useConsoleConfig();
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const token = tokens[tokens.length - 1];
  const { data, error, loading, reload } = useOperation<{ UserPools?: UserPoolSummary[]; NextToken?: string }>('ListUserPools', {
    MaxResults: PAGE_SIZE,
    ...(token ? { NextToken: token } : {}),
    }, { keepPrevious: true });
  const pools = data?.UserPools ?? [];
  const create = (
    <Link to="/pools/new" className="button button-primary">
      Create user pool
    </Link>
  );

  return (
    <>
      <PageHeader title="User pools" subtitle="Directories of users that sign up and sign in to your apps." actions={create} />
      <Flash />
      {error ? (
        <ErrorState title="Could not list the user pools" message={error} onRetry={reload} />
      ) : !data ? (
        <LoadingState label="Loading user pools…" />
      ) : pools.length === 0 && tokens.length === 1 ? (
        <EmptyState title="No user pools yet">
          <p>A user pool holds the users of one app: create one to get a Pool Id for your js/config.js.</p>
          {create}
        </EmptyState>
      ) : (
        <section className="panel" aria-busy={loading}>
          <div className="table-wrap">
            <table className="table table-stack">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Pool Id</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last modified</th>
                </tr>
              </thead>
              <tbody>
                {pools.map((p) => (
                  <tr key={p.Id}>
                    <td data-label="Name">
                      <span>
                        <Link to={`/pools/${encodeURIComponent(p.Id)}`} className="strong-link">
                          {p.Name}
                        </Link>
                        {p.Id === config?.userPoolId && <span className="badge badge-neutral badge-inline">internal</span>}
                      </span>
                    </td>
                    <td data-label="Pool Id">
                      <code>{p.Id}</code>
                    </td>
                    <td data-label="Created">{formatDate(p.CreationDate)}</td>
                    <td data-label="Last modified">{formatDate(p.LastModifiedDate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={tokens.length}
            shown={pools.length}
            pageSize={PAGE_SIZE}
            hasNext={Boolean(data.NextToken)}
            loading={loading}
            onPrevious={() => setTokens((t) => t.slice(0, -1))}
            onNext={() => setTokens((t) => [...t, data.NextToken])}
          />
        </section>
      )}
    </>
  );
}
