import { changeUserAttributes } from '../../domain/attribute-updates.js';
import { requirePool } from '../../domain/pools.js';
import { requireUser } from '../../domain/users.js';
import { InvalidParameterException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** An administrator deletes attributes of a user (not required ones); deleting the email releases its alias. */
export default defineOperation<{ UserPoolId: string; Username: string; UserAttributeNames: string[] }>({
  name: 'AdminDeleteUserAttributes',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException, UserNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const user = await requireUser(deps, pool, input.Username);
    await changeUserAttributes(deps, pool, user, input.UserAttributeNames.map((name) => ({ name, value: '' })), { admin: true });
    return {};
  },
});
