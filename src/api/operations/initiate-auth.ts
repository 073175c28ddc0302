import { requireClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import {
  InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { initiateAuth } from '../auth-flows.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ AuthFlow: string; ClientId: string; AuthParameters?: Record<string, string> }>({
  name: 'InitiateAuth',
  auth: 'public',
  errors: [InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException],
  partial: 'USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH/REFRESH_TOKEN; not yet CUSTOM_AUTH, USER_AUTH, device SRP, MFA challenges',
  async run(input, { deps }) {
    // SECRET_HASH travels in the auth parameters / challenge responses: the flow checks it.
    const client = await requireClient(deps, input.ClientId);
    const pool = await requirePool(deps, client.poolId);
    return initiateAuth(deps, pool, client, input.AuthFlow, input.AuthParameters ?? {}, false);
  },
});
