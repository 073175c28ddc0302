import { adminSetUserPassword } from '../../domain/passwords.js';
import { requirePool } from '../../domain/pools.js';
import {
  InvalidParameterException, InvalidPasswordException, ResourceNotFoundException, UserNotFoundException,
} from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** Permanent → CONFIRMED; temporary → FORCE_CHANGE_PASSWORD (sign-in then answers NEW_PASSWORD_REQUIRED). */
export default defineOperation<{ UserPoolId: string; Username: string; Password: string; Permanent?: boolean }>({
  name: 'AdminSetUserPassword',
  auth: 'sigv4',
  errors: [InvalidParameterException, InvalidPasswordException, ResourceNotFoundException, UserNotFoundException],
  partial: 'no password history',
  async run(input, { deps }) {
    await adminSetUserPassword(deps, await requirePool(deps, input.UserPoolId), input.Username, input.Password, input.Permanent ?? false);
    return {};
  },
});
