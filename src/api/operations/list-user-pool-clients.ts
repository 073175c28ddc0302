import { requirePool } from '../../domain/pools.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { decodePageToken, encodePageToken } from '../wire/common.js';
import { defineOperation } from '../operation.js';
import { clientSummaryToWire } from '../wire/user-pool-client.js';

export default defineOperation<{ UserPoolId: string; MaxResults?: number; NextToken?: string }>({
  name: 'ListUserPoolClients',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const limit = input.MaxResults ?? 60;
    const after = decodePageToken(input.NextToken, () => new InvalidParameterException('Invalid NextToken.'));
    const clients = await deps.store.clients.list(pool.id, after, limit + 1);
    const page = clients.slice(0, limit);
    return { UserPoolClients: page.map(clientSummaryToWire), NextToken: clients.length > limit ? encodePageToken(page.at(-1)!.id) : undefined };
  },
});
