import { createPool } from '../../domain/pools.js';
import { InvalidParameterException, LimitExceededException, NotAuthorizedException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { poolSettingsFromWire, poolToWire, type WirePoolInput } from '../wire/user-pool.js';

export default defineOperation<WirePoolInput & { PoolName: string }>({
  name: 'CreateUserPool',
  auth: 'sigv4',
  errors: [InvalidParameterException, LimitExceededException, NotAuthorizedException],
  async run(input, { deps }) {
    const pool = await createPool(deps, input.PoolName, poolSettingsFromWire(input));
    return { UserPool: poolToWire(pool, 0) };
  },
});
