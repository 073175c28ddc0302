import { changeUserAttributes } from '../../domain/attribute-updates.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../errors/catalog.js';
import { accessContext } from '../access-token.js';
import { defineOperation } from '../operation.js';

/** The signed-in user deletes attributes (not required ones); deleting the email releases its alias. */
export default defineOperation<{ UserAttributeNames: string[]; AccessToken: string }>({
  name: 'DeleteUserAttributes',
  auth: 'public',
  errors: [InvalidParameterException, NotAuthorizedException, UserNotFoundException],
  async run(input, { deps }) {
    const { pool, user, client } = await accessContext(deps, input.AccessToken);
    await changeUserAttributes(deps, pool, user, input.UserAttributeNames.map((name) => ({ name, value: '' })), { admin: false, client });
    return {};
  },
});
