import { addUserToGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** Adds the user to the group (again is no error); their next tokens carry it. */
export default defineOperation<{ UserPoolId: string; Username: string; GroupName: string }>({
  name: 'AdminAddUserToGroup',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException, UserNotFoundException],
  async run(input, { deps }) {
    await addUserToGroup(deps, await requirePool(deps, input.UserPoolId), input.GroupName, input.Username);
    return {};
  },
});
