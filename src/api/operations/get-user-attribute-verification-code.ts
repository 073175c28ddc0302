import { sendAttributeVerificationCode } from '../../domain/attribute-updates.js';
import { InvalidParameterException, LimitExceededException, NotAuthorizedException, UserNotFoundException } from '../../errors/catalog.js';
import { accessContext } from '../access-token.js';
import { defineOperation } from '../operation.js';
import { deliveryToWire } from '../wire/common.js';

/** Mails the signed-in user a code for their email (the pending new one, if any). */
export default defineOperation<{ AccessToken: string; AttributeName: string; ClientMetadata?: Record<string, string> }>({
  name: 'GetUserAttributeVerificationCode',
  auth: 'public',
  errors: [InvalidParameterException, LimitExceededException, NotAuthorizedException, UserNotFoundException],
  partial:
    'email only: for phone_number (no SMS) it answers InvalidParameterException "User pool does not have SMS configuration to send messages."; ClientMetadata is ignored',
  async run(input, { deps }) {
    const { pool, user } = await accessContext(deps, input.AccessToken);
    return { CodeDeliveryDetails: deliveryToWire(await sendAttributeVerificationCode(deps, pool, user, input.AttributeName)) };
  },
});
