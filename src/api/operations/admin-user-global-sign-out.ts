import { requirePool } from '../../domain/pools.js';
import { signOutEverywhere } from '../../domain/tokens.js';
import { requireUser } from '../../domain/users.js';
import { InvalidParameterException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** GlobalSignOut on an administrator's behalf: every refresh token of the user, and their access tokens, stop working. */
export default defineOperation<{ UserPoolId: string; Username: string }>({
  name: 'AdminUserGlobalSignOut',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException, UserNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    await signOutEverywhere(deps, pool, await requireUser(deps, pool, input.Username));
    return {};
  },
});
