import { InvalidParameterException, NotAuthorizedException } from '../../errors/catalog.js';
import { decodePageToken, encodePageToken } from '../wire/common.js';
import { defineOperation } from '../operation.js';
import { poolSummaryToWire } from '../wire/user-pool.js';

export default defineOperation<{ MaxResults: number; NextToken?: string }>({
  name: 'ListUserPools',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException],
  async run(input, { deps }) {
    const after = decodePageToken(input.NextToken, () => new InvalidParameterException('Invalid NextToken.'));
    const pools = await deps.store.pools.list(after, input.MaxResults + 1);
    const page = pools.slice(0, input.MaxResults);
    return { UserPools: page.map(poolSummaryToWire), NextToken: pools.length > input.MaxResults ? encodePageToken(page.at(-1)!.id) : undefined };
  },
});
