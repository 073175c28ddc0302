import { requireClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import {
  InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { initiateAuth } from '../auth-flows.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ UserPoolId: string; ClientId: string; AuthFlow: string; AuthParameters?: Record<string, string> }>({
  name: 'AdminInitiateAuth',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, ResourceNotFoundException, UserNotConfirmedException, UserNotFoundException],
  partial: 'ADMIN_USER_PASSWORD_AUTH (ADMIN_NO_SRP_AUTH), USER_SRP_AUTH, REFRESH_TOKEN_AUTH; not yet CUSTOM_AUTH, USER_AUTH, MFA challenges',
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const client = await requireClient(deps, input.ClientId, pool.id);
    return initiateAuth(deps, pool, client, input.AuthFlow, input.AuthParameters ?? {}, true);
  },
});
