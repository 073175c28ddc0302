import { requireClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import {
  AliasExistsException, InvalidParameterException, InvalidPasswordException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { respondToChallenge } from '../auth-flows.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ ClientId: string; ChallengeName: string; ChallengeResponses?: Record<string, string>; Session?: string }>({
  name: 'RespondToAuthChallenge',
  auth: 'public',
  errors: [AliasExistsException, InvalidParameterException, InvalidPasswordException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException],
  partial: 'PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED (with userAttributes.* answers); not yet MFA, device and custom challenges',
  async run(input, { deps }) {
    // SECRET_HASH travels in the auth parameters / challenge responses: the flow checks it.
    const client = await requireClient(deps, input.ClientId);
    const pool = await requirePool(deps, client.poolId);
    return respondToChallenge(deps, pool, client, input.ChallengeName, input.ChallengeResponses ?? {}, input.Session);
  },
});
