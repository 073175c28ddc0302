import { requireClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { clientToWire } from '../wire/user-pool-client.js';

export default defineOperation<{ UserPoolId: string; ClientId: string }>({
  name: 'DescribeUserPoolClient',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException],
  async run(input, { deps }) {
    await requirePool(deps, input.UserPoolId);
    return { UserPoolClient: clientToWire(await requireClient(deps, input.ClientId, input.UserPoolId)) };
  },
});
