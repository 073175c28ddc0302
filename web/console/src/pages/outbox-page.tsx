import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { getOutbox, type OutboxMessage } from '../api';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { LoadingState } from '../components/loading-state';
import { PageHeader } from '../components/page-header';
import { useTitle } from '../use-title';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** /console/outbox — the mail Cognate would have sent, when no SMTP server is configured. */
export function OutboxPage() {
  useTitle('Dev outbox');
  const [messages, setMessages] = useState<OutboxMessage[] | null | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);

  const load = useCallback(() => {
    setLoading(true);
    setError(undefined);
    getOutbox().then(
      (m) => {
        setMessages(m);
        setLoading(false);
      },
      (err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
        setLoading(false);
      },
    );
  }, []);
  useEffect(load, [load]);

  const refresh = (
    <button type="button" className="button" onClick={load} disabled={loading}>
      {loading ? 'Refreshing…' : 'Refresh'}
    </button>
  );

  return (
    <>
      <PageHeader
        title="Dev outbox"
        subtitle="No SMTP server is configured, so verification mail stays here instead of being sent. Newest first."
        actions={messages ? refresh : undefined}
      />
      {error ? (
        <ErrorState title="Could not load the outbox" message={error} onRetry={load} />
      ) : messages === undefined ? (
        <LoadingState label="Loading messages…" />
      ) : messages === null ? (
        <EmptyState title="The dev outbox is off">
          <p>This server sends mail through its SMTP server, so there is no outbox to show.</p>
          <Link to="/" className="button">
            User pools
          </Link>
        </EmptyState>
      ) : messages.length === 0 ? (
        <EmptyState title="No messages yet">
          <p>Verification codes appear here when users sign up.</p>
        </EmptyState>
      ) : (
        <ul className="messages" aria-busy={loading}>
          {messages.map((m) => (
            <li key={m.id} className="panel panel-padded message">
              <div className="message-head">
                <div>
                  <p className="message-subject">{m.subject ?? '(no subject)'}</p>
                  <p className="muted">
                    To <strong>{m.to}</strong> · pool{' '}
                    <Link to={`/pools/${encodeURIComponent(m.poolId)}`}>
                      <code>{m.poolId}</code>
                    </Link>
                  </p>
                </div>
                <div className="message-meta">
                  <time dateTime={new Date(m.createdAt * 1000).toISOString()}>{dateFormat.format(new Date(m.createdAt * 1000))}</time>
                  <span className={m.delivered ? 'badge badge-ok' : 'badge badge-neutral'}>{m.delivered ? 'delivered' : 'queued'}</span>
                </div>
              </div>
              {m.text && <pre className="message-text">{m.text}</pre>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
