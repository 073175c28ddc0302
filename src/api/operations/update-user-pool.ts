import { updatePool } from '../../domain/pools.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { poolSettingsFromWire, type WirePoolInput } from '../wire/user-pool.js';

export default defineOperation<WirePoolInput & { UserPoolId: string }>({
  name: 'UpdateUserPool',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException],
  partial: 'as CreateUserPool',
  async run(input, { deps }) {
    await updatePool(deps, input.UserPoolId, (pool) => ({ ...poolSettingsFromWire(input, pool.settings), region: pool.settings.region }));
    return {};
  },
});
