import { authorizeAccessToken } from '../../domain/tokens.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../errors/catalog.js';
import { attributesToWire } from '../wire/common.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ AccessToken: string }>({
  name: 'GetUser',
  auth: 'public',
  errors: [InvalidParameterException, NotAuthorizedException, UserNotFoundException],
  partial: 'MFA fields are empty (no MFA yet)',
  async run(input, { deps }) {
    const { user } = await authorizeAccessToken(deps, input.AccessToken);
    return { Username: user.username, UserAttributes: attributesToWire(user.attributes), UserMFASettingList: [] };
  },
});
