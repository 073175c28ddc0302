import { requireClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import {
  InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { respondToChallenge } from '../auth-flows.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ UserPoolId: string; ClientId: string; ChallengeName: string; ChallengeResponses?: Record<string, string> }>({
  name: 'AdminRespondToAuthChallenge',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException],
  partial: 'PASSWORD_VERIFIER only; not yet NEW_PASSWORD_REQUIRED, MFA, device and custom challenges',
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const client = await requireClient(deps, input.ClientId, pool.id);
    return respondToChallenge(deps, pool, client, input.ChallengeName, input.ChallengeResponses ?? {});
  },
});
