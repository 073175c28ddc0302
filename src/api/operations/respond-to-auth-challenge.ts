import { requireClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import {
  InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { respondToChallenge } from '../auth-flows.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ ClientId: string; ChallengeName: string; ChallengeResponses?: Record<string, string> }>({
  name: 'RespondToAuthChallenge',
  auth: 'public',
  errors: [InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException],
  partial: 'PASSWORD_VERIFIER only; not yet NEW_PASSWORD_REQUIRED, MFA, device and custom challenges',
  async run(input, { deps }) {
    // SECRET_HASH travels in the auth parameters / challenge responses: the flow checks it.
    const client = await requireClient(deps, input.ClientId);
    const pool = await requirePool(deps, client.poolId);
    return respondToChallenge(deps, pool, client, input.ChallengeName, input.ChallengeResponses ?? {});
  },
});
