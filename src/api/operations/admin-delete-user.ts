import { requirePool } from '../../domain/pools.js';
import { adminDeleteUser } from '../../domain/users.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ UserPoolId: string; Username: string }>({
  name: 'AdminDeleteUser',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException],
  async run(input, { deps }) {
    await adminDeleteUser(deps, await requirePool(deps, input.UserPoolId), input.Username);
    return {};
  },
});
