import { requirePool } from '../../domain/pools.js';
import { setUserEnabled } from '../../domain/users.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** Disables the user and revokes their refresh tokens (and so the access tokens of those sign-ins). */
export default defineOperation<{ UserPoolId: string; Username: string }>({
  name: 'AdminDisableUser',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException],
  async run(input, { deps }) {
    await setUserEnabled(deps, await requirePool(deps, input.UserPoolId), input.Username, false);
    return {};
  },
});
