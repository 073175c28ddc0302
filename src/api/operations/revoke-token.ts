import { safeEqual } from '../../crypto/digest.js';
import { decodeJwt } from '../../crypto/jwt.js';
import {
  InvalidParameterException, UnauthorizedException, UnsupportedOperationException, UnsupportedTokenTypeException,
} from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ Token: string; ClientId: string; ClientSecret?: string }>({
  name: 'RevokeToken',
  auth: 'public',
  errors: [InvalidParameterException, UnauthorizedException, UnsupportedOperationException, UnsupportedTokenTypeException],
  async run(input, { deps }) {
    const client = await deps.store.clients.get(input.ClientId);
    if (!client) throw new UnauthorizedException(`Client ${input.ClientId} does not exist.`);
    if (client.secret && !(input.ClientSecret && safeEqual(input.ClientSecret, client.secret))) throw new UnauthorizedException('Invalid client secret.');
    if (!client.settings.enableTokenRevocation) throw new UnsupportedOperationException('Token revocation is not enabled for this client.');
    if (decodeJwt(input.Token)) throw new UnsupportedTokenTypeException('Only refresh tokens can be revoked.');
    const record = await deps.store.tokens.getRefresh(deps.digester.digest('refresh', input.Token));
    // An unknown or foreign token is answered like a revoked one (OAuth revocation semantics).
    if (record && record.clientId === client.id) {
      await deps.store.tokens.revokeFamily(record.originJti, deps.now());
      deps.log.info({ poolId: record.poolId, clientId: client.id }, 'refresh token revoked');
    }
    return {};
  },
});
