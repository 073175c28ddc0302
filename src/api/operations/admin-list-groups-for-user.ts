import { listGroupsForUser } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, ResourceNotFoundException, UserNotFoundException } from '../../errors/catalog.js';
import { decodePageToken, encodePageToken } from '../wire/common.js';
import { defineOperation } from '../operation.js';
import { groupToWire } from '../wire/group.js';

/** The user's groups by name, Limit (default 60) at a time. */
export default defineOperation<{ UserPoolId: string; Username: string; Limit?: number; NextToken?: string }>({
  name: 'AdminListGroupsForUser',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException, UserNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const after = decodePageToken(input.NextToken, () => new InvalidParameterException('Invalid NextToken.'));
    const page = await listGroupsForUser(deps, pool, input.Username, after, input.Limit || 60);
    return { Groups: page.items.map(groupToWire), NextToken: page.next === undefined ? undefined : encodePageToken(page.next) };
  },
});
