import { readableAttributes } from '../../domain/attributes.js';
import { authorizeAccessToken } from '../../domain/tokens.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../errors/catalog.js';
import { attributesToWire } from '../wire/common.js';
import { mfaOptionsToWire } from '../wire/user.js';
import { defineOperation } from '../operation.js';

/** The user's attributes that the token's app client may read (its ReadAttributes; never `dev:` ones). */
export default defineOperation<{ AccessToken: string }>({
  name: 'GetUser',
  auth: 'public',
  errors: [InvalidParameterException, NotAuthorizedException, UserNotFoundException],
  partial: 'no MFA: UserMFASettingList is empty; MFAOptions shows what SetUserSettings stored',
  async run(input, { deps }) {
    const { user, claims } = await authorizeAccessToken(deps, input.AccessToken);
    const client = typeof claims.client_id === 'string' ? await deps.store.clients.get(claims.client_id) : undefined;
    return {
      Username: user.username, UserAttributes: attributesToWire(readableAttributes(user.attributes, client)), MFAOptions: mfaOptionsToWire(user),
      UserMFASettingList: [],
    };
  },
});
