import { useState, type FormEvent } from 'react';
import { call, configJsUrl } from '../api';
import { regionOf, type UserPoolClient, type UserPoolClientSummary } from '../cognito';
import { ConfirmDialog } from '../components/confirm-dialog';
import { CopyValue } from '../components/copy-value';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { LoadingState } from '../components/loading-state';
import { useOperation } from '../use-operation';
import { useTitle } from '../use-title';
import { usePool } from './pool-layout';

/** /console/pools/:poolId/clients — the pool's app clients: create (no secret by default), delete, download config.js. */
export function ClientsPage() {
  const { pool } = usePool();
  useTitle(`App clients · ${pool.Name}`);
  const { data, error, reload } = useOperation<{ UserPoolClients?: UserPoolClientSummary[] }>('ListUserPoolClients', {
    UserPoolId: pool.Id,
    MaxResults: 60,
  });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<UserPoolClient | undefined>();
  const [toDelete, setToDelete] = useState<UserPoolClientSummary | undefined>();
  const [flash, setFlash] = useState<string | undefined>();
  const clients = data?.UserPoolClients ?? [];

  const onCreated = (client: UserPoolClient) => {
    setCreating(false);
    setCreated(client);
    setFlash(undefined);
    reload();
  };

  const remove = async () => {
    if (!toDelete) return;
    await call('DeleteUserPoolClient', { UserPoolId: pool.Id, ClientId: toDelete.ClientId });
    setFlash(`App client ${toDelete.ClientName} deleted.`);
    if (created?.ClientId === toDelete.ClientId) setCreated(undefined);
    setToDelete(undefined);
    reload();
  };

  return (
    <>
      <div className="section-header">
        <div>
          <h2>App clients</h2>
          <p className="muted">An app client is what your web app names in js/config.js to let its users sign up and sign in.</p>
        </div>
        {!creating && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Add an app client
          </button>
        )}
      </div>

      {flash && (
        <div className="callout callout-success" role="status">
          <p>{flash}</p>
        </div>
      )}
      {creating && <CreateClientForm poolId={pool.Id} onCreated={onCreated} onCancel={() => setCreating(false)} />}
      {created && <CreatedClient client={created} onDismiss={() => setCreated(undefined)} />}

      {error ? (
        <ErrorState title="Could not list the app clients" message={error} onRetry={reload} />
      ) : !data ? (
        <LoadingState label="Loading app clients…" />
      ) : clients.length === 0 ? (
        <EmptyState title="No app clients yet">
          <p>Add one for your web app, with &ldquo;Generate client secret&rdquo; left unchecked.</p>
        </EmptyState>
      ) : (
        <section className="panel">
          <div className="table-wrap">
            <table className="table table-stack">
              <thead>
                <tr>
                  <th scope="col">App client name</th>
                  <th scope="col">Client id</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {clients.map((c) => (
                  <tr key={c.ClientId}>
                    <td className="strong" data-label="App client name">
                      {c.ClientName}
                    </td>
                    <td data-label="Client id">
                      <CopyValue value={c.ClientId} label={`client id of ${c.ClientName}`} />
                    </td>
                    <td className="actions-cell">
                      <a className="button button-small" href={configJsUrl(pool.Id, c.ClientId)} download="config.js" aria-label={`Download config.js for ${c.ClientName}`}>
                        Download config.js
                      </a>
                      <button type="button" className="button button-small button-danger-quiet" onClick={() => setToDelete(c)} aria-label={`Delete ${c.ClientName}`}>
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <ConfirmDialog
        open={toDelete !== undefined}
        title={`Delete app client ${toDelete?.ClientName ?? ''}?`}
        confirmLabel="Delete app client"
        onConfirm={remove}
        onClose={() => setToDelete(undefined)}
      >
        <p>
          Apps configured with client id <code>{toDelete?.ClientId}</code> can no longer sign users up or in. Users and their passwords stay in the pool.
        </p>
      </ConfirmDialog>
    </>
  );
}

function CreateClientForm({ poolId, onCreated, onCancel }: { poolId: string; onCreated(client: UserPoolClient): void; onCancel(): void }) {
  const [name, setName] = useState('');
  const [secret, setSecret] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError('Give the app client a name.');
    setBusy(true);
    setError(undefined);
    try {
      const out = await call<{ UserPoolClient: UserPoolClient }>('CreateUserPoolClient', { UserPoolId: poolId, ClientName: name.trim(), GenerateSecret: secret });
      onCreated(out.UserPoolClient);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <form className="panel panel-padded form" onSubmit={submit} noValidate aria-labelledby="new-client-title">
      <h3 id="new-client-title" className="panel-title">
        Add an app client
      </h3>
      <div className="field">
        <label htmlFor="client-name">App client name</label>
        <input id="client-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="WildRydesWebApp" maxLength={128} autoFocus />
      </div>
      <div className="field field-check">
        <input id="client-secret" type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} aria-describedby="client-secret-help" />
        <label htmlFor="client-secret">Generate client secret</label>
      </div>
      <p id="client-secret-help" className={secret ? 'callout callout-warning' : 'callout callout-info'}>
        {secret
          ? 'Browser apps cannot use an app client with a secret: the JavaScript SDK (amazon-cognito-identity-js, Amplify) does not support it. Only check this for a server-side app.'
          : 'Leave this unchecked for a web app: client secrets are not supported by the JavaScript SDK in the browser (amazon-cognito-identity-js, Amplify).'}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create app client'}
        </button>
      </div>
    </form>
  );
}

function CreatedClient({ client, onDismiss }: { client: UserPoolClient; onDismiss(): void }) {
  return (
    <section className="panel panel-padded panel-success" aria-labelledby="created-client">
      <h3 id="created-client" className="panel-title">
        App client {client.ClientName} created
      </h3>
      <p className="muted">Put these values in your site&apos;s js/config.js, or download the file ready-made.</p>
      <dl className="details">
        <dt>userPoolId</dt>
        <dd>
          <CopyValue value={client.UserPoolId} label="Pool Id" />
        </dd>
        <dt>userPoolClientId</dt>
        <dd>
          <CopyValue value={client.ClientId} label="client id" />
        </dd>
        <dt>region</dt>
        <dd>
          <code>{regionOf(client.UserPoolId)}</code>
        </dd>
        <dt>Client secret</dt>
        <dd>{client.ClientSecret ? 'Generated (browser apps cannot use this client)' : 'None'}</dd>
      </dl>
      <div className="form-actions form-actions-start">
        <a className="button button-primary" href={configJsUrl(client.UserPoolId, client.ClientId)} download="config.js">
          Download config.js
        </a>
        <button type="button" className="button" onClick={onDismiss}>
          Done
        </button>
      </div>
    </section>
  );
}
