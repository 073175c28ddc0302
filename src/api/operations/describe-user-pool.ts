import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { poolToWire } from '../wire/user-pool.js';

export default defineOperation<{ UserPoolId: string }>({
  name: 'DescribeUserPool',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    return { UserPool: poolToWire(pool, await deps.store.users.count(pool.id)) };
  },
});
