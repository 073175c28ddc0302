import { adminResetUserPassword } from '../../domain/account-recovery.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** RESET_REQUIRED until the user sets a new password with the mailed code (ConfirmForgotPassword); revokes their refresh tokens. */
export default defineOperation<{ UserPoolId: string; Username: string }>({
  name: 'AdminResetUserPassword',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException],
  partial: 'verified email only (no SMS)',
  async run(input, { deps }) {
    await adminResetUserPassword(deps, await requirePool(deps, input.UserPoolId), input.Username);
    return {};
  },
});
