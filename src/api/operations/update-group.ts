import { updateGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { groupFieldsFromWire, groupToWire, type WireGroupFields } from '../wire/group.js';

/** Changes the fields it is given; tokens issued afterwards carry the new roles and precedence. */
export default defineOperation<WireGroupFields & { UserPoolId: string; GroupName: string }>({
  name: 'UpdateGroup',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    return { Group: groupToWire(await updateGroup(deps, pool, input.GroupName, groupFieldsFromWire(input))) };
  },
});
