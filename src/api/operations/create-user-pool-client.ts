import { createClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, LimitExceededException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { clientSettingsFromWire, clientToWire, type WireClientInput } from '../wire/user-pool-client.js';

export default defineOperation<WireClientInput & { ClientName: string }>({
  name: 'CreateUserPoolClient',
  auth: 'sigv4',
  errors: [InvalidParameterException, LimitExceededException, NotAuthorizedException, ResourceNotFoundException],
  partial: 'OAuth settings (callback URLs, flows, scopes), analytics and rotation are stored but not acted on',
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const client = await createClient(deps, pool.id, input.ClientName, input.GenerateSecret ?? false, clientSettingsFromWire(input, { pool: pool.settings, action: 'creating' }));
    return { UserPoolClient: clientToWire(client) };
  },
});
