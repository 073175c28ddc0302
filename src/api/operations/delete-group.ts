import { deleteGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** Deletes the group and every membership in it. */
export default defineOperation<{ UserPoolId: string; GroupName: string }>({
  name: 'DeleteGroup',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException],
  async run(input, { deps }) {
    await deleteGroup(deps, await requirePool(deps, input.UserPoolId), input.GroupName);
    return {};
  },
});
