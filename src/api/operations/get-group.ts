import { requireGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { groupToWire } from '../wire/group.js';

export default defineOperation<{ UserPoolId: string; GroupName: string }>({
  name: 'GetGroup',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    return { Group: groupToWire(await requireGroup(deps, pool, input.GroupName)) };
  },
});
