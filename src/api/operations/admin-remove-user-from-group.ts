import { removeUserFromGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** Removes the user from the group (a non-member is no error); tokens already issued keep their claims until they expire. */
export default defineOperation<{ UserPoolId: string; Username: string; GroupName: string }>({
  name: 'AdminRemoveUserFromGroup',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException, UserNotFoundException],
  async run(input, { deps }) {
    await removeUserFromGroup(deps, await requirePool(deps, input.UserPoolId), input.GroupName, input.Username);
    return {};
  },
});
