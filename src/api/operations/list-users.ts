import { requirePool } from '../../domain/pools.js';
import { parseUserFilter } from '../../domain/user-filter.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { decodePageToken, encodePageToken } from '../wire/common.js';
import { defineOperation } from '../operation.js';
import { userToWire } from '../wire/user.js';

export default defineOperation<{ UserPoolId: string; AttributesToGet?: string[]; Limit?: number; PaginationToken?: string; Filter?: string }>({
  name: 'ListUsers',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const limit = input.Limit || 60;
    const filter = parseUserFilter(input.Filter);
    const after = decodePageToken(input.PaginationToken, () => new InvalidParameterException('Invalid PaginationToken.'));
    const users = await deps.store.users.list(pool.id, { filter, after, limit: limit + 1 });
    const page = users.slice(0, limit);
    return {
      Users: page.map((u) => userToWire(u, input.AttributesToGet)),
      PaginationToken: users.length > limit ? encodePageToken(page.at(-1)!.username) : undefined,
    };
  },
});
