import { requireClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { clientSettingsFromWire, clientToWire, type WireClientInput } from '../wire/user-pool-client.js';

export default defineOperation<WireClientInput & { ClientId: string }>({
  name: 'UpdateUserPoolClient',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException],
  partial: 'as CreateUserPoolClient',
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const client = await requireClient(deps, input.ClientId, input.UserPoolId);
    const updated = { ...client, name: input.ClientName ?? client.name, settings: clientSettingsFromWire(input, { pool: pool.settings, action: 'updating' }), updatedAt: deps.now() };
    await deps.store.clients.update(updated);
    return { UserPoolClient: clientToWire(updated) };
  },
});
