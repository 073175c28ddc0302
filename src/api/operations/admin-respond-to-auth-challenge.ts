import { requireClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import {
  AliasExistsException, InvalidParameterException, InvalidPasswordException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { respondToChallenge } from '../auth-flows.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ UserPoolId: string; ClientId: string; ChallengeName: string; ChallengeResponses?: Record<string, string>; Session?: string }>({
  name: 'AdminRespondToAuthChallenge',
  auth: 'sigv4',
  errors: [AliasExistsException, InvalidParameterException, InvalidPasswordException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException],
  partial: 'PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED (with userAttributes.* answers); not yet MFA, device and custom challenges',
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const client = await requireClient(deps, input.ClientId, pool.id);
    return respondToChallenge(deps, pool, client, input.ChallengeName, input.ChallengeResponses ?? {}, input.Session);
  },
});
