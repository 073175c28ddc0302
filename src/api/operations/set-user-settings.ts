import { setUserSettings } from '../../domain/mfa-options.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../errors/catalog.js';
import { accessContext } from '../access-token.js';
import { defineOperation } from '../operation.js';

/** The legacy per-user SMS MFA switch: MFAOptions of SMS to phone_number, or none. */
export default defineOperation<{ AccessToken: string; MFAOptions: { DeliveryMedium?: string; AttributeName?: string }[] }>({
  name: 'SetUserSettings',
  auth: 'public',
  errors: [InvalidParameterException, NotAuthorizedException, UserNotFoundException],
  partial: 'no SMS MFA: the options are stored and shown (AdminGetUser, ListUsers) but never make sign-in ask for a code',
  async run(input, { deps }) {
    const { pool, user } = await accessContext(deps, input.AccessToken);
    await setUserSettings(deps, pool, user, input.MFAOptions.map((o) => ({ deliveryMedium: o.DeliveryMedium, attributeName: o.AttributeName })));
    return {};
  },
});
