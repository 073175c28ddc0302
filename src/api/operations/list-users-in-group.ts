import { listUsersInGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, ResourceNotFoundException } from '../../errors/catalog.js';
import { decodePageToken, encodePageToken } from '../wire/common.js';
import { defineOperation } from '../operation.js';
import { userToWire } from '../wire/user.js';

/** The group's members as UserType (as ListUsers shows them), by username, Limit (default 60) at a time. */
export default defineOperation<{ UserPoolId: string; GroupName: string; Limit?: number; NextToken?: string }>({
  name: 'ListUsersInGroup',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const after = decodePageToken(input.NextToken, () => new InvalidParameterException('Invalid NextToken.'));
    const page = await listUsersInGroup(deps, pool, input.GroupName, after, input.Limit || 60);
    return { Users: page.items.map((u) => userToWire(u)), NextToken: page.next === undefined ? undefined : encodePageToken(page.next) };
  },
});
