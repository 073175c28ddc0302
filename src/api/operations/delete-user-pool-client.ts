import { requireClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ UserPoolId: string; ClientId: string }>({
  name: 'DeleteUserPoolClient',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException],
  async run(input, { deps }) {
    await requirePool(deps, input.UserPoolId);
    await requireClient(deps, input.ClientId, input.UserPoolId);
    await deps.store.transaction((tx) => tx.clients.delete(input.UserPoolId, input.ClientId));
    return {};
  },
});
