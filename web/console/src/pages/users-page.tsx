import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { attribute, emailPrefixFilter, formatDate, type User } from '../cognito';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { Flash } from '../components/flash';
import { LoadingState } from '../components/loading-state';
import { Pager } from '../components/pager';
import { StatusBadge } from '../components/status-badge';
import { useOperation } from '../use-operation';
import { useTitle } from '../use-title';
import { usePool } from './pool-layout';

const PAGE_SIZE = 20;

/**
 * /console/pools/:poolId/users?email=<prefix> — 20 users a page through ListUsers' PaginationToken (never
 * the whole pool), searchable by email prefix.
 */
export function UsersPage() {
  const { pool, reload: reloadPool } = usePool();
  useTitle(`Users · ${pool.Name}`);
  // The estimated number of users changes as people sign up: refresh the pool on arrival.
  useEffect(reloadPool, [reloadPool]);
  const [params, setParams] = useSearchParams();
  const query = params.get('email') ?? '';
  const [typed, setTyped] = useState(query);
  // The PaginationTokens of the pages walked through so far, for one search; a new search starts at page 1.
  const [paging, setPaging] = useState<{ query: string; tokens: (string | undefined)[] }>({ query, tokens: [undefined] });
  const tokens = paging.query === query ? paging.tokens : [undefined];
  const token = tokens[tokens.length - 1];
  const setTokens = (update: (t: (string | undefined)[]) => (string | undefined)[]) => setPaging({ query, tokens: update(tokens) });

  useEffect(() => setTyped(query), [query]);

  const { data, error, loading, reload } = useOperation<{ Users?: User[]; PaginationToken?: string }>('ListUsers', {
    UserPoolId: pool.Id,
    Limit: PAGE_SIZE,
    ...(query ? { Filter: emailPrefixFilter(query) } : {}),
    ...(token ? { PaginationToken: token } : {}),
    }, { keepPrevious: true });
  const users = data?.Users ?? [];

  const search = (event: FormEvent) => {
    event.preventDefault();
    const value = typed.trim();
    setParams(value ? { email: value } : {});
  };

  return (
    <>
      <Flash />
      <div className="section-header">
        <div>
          <h2>Users</h2>
          <p className="muted">About {pool.EstimatedNumberOfUsers ?? 0} users in this pool.</p>
        </div>
      </div>
      <form className="search" role="search" onSubmit={search}>
        <label htmlFor="user-search">Search by email prefix</label>
        <div className="search-row">
          <input id="user-search" type="search" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="e.g. alice@ or alice@example.com" autoComplete="off" spellCheck={false} />
          <button type="submit" className="button button-primary">
            Search
          </button>
          {query && (
            <button type="button" className="button" onClick={() => setParams({})}>
              Clear
            </button>
          )}
        </div>
      </form>

      {error ? (
        <ErrorState title="Could not list the users" message={error} onRetry={reload} />
      ) : !data ? (
        <LoadingState label="Loading users…" />
      ) : users.length === 0 && tokens.length === 1 ? (
        query ? (
          <EmptyState title="No matching users">
            <p>
              No user has an email address starting with <strong>{query}</strong>.
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="No users yet">
            <p>Users appear here once they sign up through an app client of this pool.</p>
          </EmptyState>
        )
      ) : (
        <section className="panel" aria-busy={loading}>
          <div className="table-wrap">
            <table className="table table-stack">
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">Email verified</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.Username}>
                    <td data-label="Username">
                      <Link to={`/pools/${encodeURIComponent(pool.Id)}/users/${encodeURIComponent(u.Username)}`} className="strong-link mono-link">
                        {u.Username}
                      </Link>
                    </td>
                    <td data-label="Email">{attribute(u.Attributes, 'email') ?? '—'}</td>
                    <td data-label="Status">
                      <span className="badges">
                        <StatusBadge value={u.UserStatus} />
                        {u.Enabled === false && <StatusBadge value="Disabled" />}
                      </span>
                    </td>
                    <td data-label="Email verified">{attribute(u.Attributes, 'email_verified') === 'true' ? 'Yes' : 'No'}</td>
                    <td data-label="Created" className="date">
                      {formatDate(u.UserCreateDate)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={tokens.length}
            shown={users.length}
            pageSize={PAGE_SIZE}
            hasNext={Boolean(data.PaginationToken)}
            loading={loading}
            onPrevious={() => setTokens((t) => t.slice(0, -1))}
            onNext={() => setTokens((t) => [...t, data.PaginationToken])}
          />
        </section>
      )}
    </>
  );
}
