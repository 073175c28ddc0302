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
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const client = await requireClient(deps, input.ClientId, pool.id);
    return initiateAuth(deps, pool, client, input.AuthFlow, input.AuthParameters ?? {}, true);
  },
});
