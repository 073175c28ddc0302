import { requirePool } from '../../domain/pools.js';
import { setUserEnabled } from '../../domain/users.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ UserPoolId: string; Username: string }>({
  name: 'AdminEnableUser',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException],
  async run(input, { deps }) {
    await setUserEnabled(deps, await requirePool(deps, input.UserPoolId), input.Username, true);
    return {};
  },
});
