import {
  InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { respondToChallenge } from '../auth-flows.js';
import { clientContext } from '../client-context.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ ClientId: string; ChallengeName: string; ChallengeResponses?: Record<string, string> }>({
  name: 'RespondToAuthChallenge',
  auth: 'public',
  errors: [InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException],
  partial: 'PASSWORD_VERIFIER only; not yet NEW_PASSWORD_REQUIRED, MFA, device and custom challenges',
  async run(input, { deps }) {
    const { client, pool } = await clientContext(deps, input.ClientId, undefined, []);
    return respondToChallenge(deps, pool, client, input.ChallengeName, input.ChallengeResponses ?? {});
  },
});
