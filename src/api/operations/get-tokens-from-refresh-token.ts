import { requireClient } from '../../domain/clients.js';
import { refreshSignIn } from '../../domain/sign-in.js';
import { safeEqual } from '../../crypto/digest.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { authResultToWire } from '../wire/common.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ RefreshToken: string; ClientId: string; ClientSecret?: string }>({
  name: 'GetTokensFromRefreshToken',
  auth: 'public',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException],
  partial: 'no refresh-token rotation yet (RefreshTokenRotation is stored, not acted on)',
  async run(input, { deps }) {
    const client = await requireClient(deps, input.ClientId);
    if (client.secret && !(input.ClientSecret && safeEqual(input.ClientSecret, client.secret))) {
      throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
    }
    const { tokens } = await refreshSignIn(deps, client, input.RefreshToken);
    const { AuthenticationResult } = authResultToWire(tokens);
    return { AuthenticationResult };
  },
});
