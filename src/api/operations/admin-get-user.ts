import { requirePool } from '../../domain/pools.js';
import { requireUser } from '../../domain/users.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { adminUserToWire } from '../wire/user.js';

export default defineOperation<{ UserPoolId: string; Username: string }>({
  name: 'AdminGetUser',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException],
  async run(input, { deps }) {
    return adminUserToWire(await requireUser(deps, await requirePool(deps, input.UserPoolId), input.Username));
  },
});
