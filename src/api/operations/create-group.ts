import { createGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';
import { GroupExistsException, InvalidParameterException, LimitExceededException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { groupFieldsFromWire, groupToWire, type WireGroupFields } from '../wire/group.js';

/** A new group; the RoleArn is kept for the tokens' cognito:roles and cognito:preferred_role (no IAM behind it). */
export default defineOperation<WireGroupFields & { UserPoolId: string; GroupName: string }>({
  name: 'CreateGroup',
  auth: 'sigv4',
  errors: [GroupExistsException, InvalidParameterException, LimitExceededException, ResourceNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    return { Group: groupToWire(await createGroup(deps, pool, input.GroupName, groupFieldsFromWire(input))) };
  },
});
