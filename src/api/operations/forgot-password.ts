import { forgotPassword } from '../../domain/account-recovery.js';
import {
  InvalidParameterException, LimitExceededException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException,
} from '../../errors/catalog.js';
import { clientContext } from '../client-context.js';
import { deliveryToWire } from '../wire/common.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ ClientId: string; SecretHash?: string; Username: string }>({
  name: 'ForgotPassword',
  auth: 'public',
  errors: [InvalidParameterException, LimitExceededException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException],
  partial: 'verified email only (no SMS)',
  async run(input, { deps }) {
    const { client, pool } = await clientContext(deps, input.ClientId, input.SecretHash, [input.Username]);
    return { CodeDeliveryDetails: deliveryToWire(await forgotPassword(deps, pool, client, input.Username)) };
  },
});
