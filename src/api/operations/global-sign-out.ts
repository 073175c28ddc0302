import { authorizeAccessToken, signOutEverywhere } from '../../domain/tokens.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ AccessToken: string }>({
  name: 'GlobalSignOut',
  auth: 'public',
  errors: [InvalidParameterException, NotAuthorizedException],
  async run(input, { deps }) {
    const { pool, user } = await authorizeAccessToken(deps, input.AccessToken).catch((err: unknown) => {
      // GlobalSignOut declares no UserNotFoundException: a deleted user's token is just not valid.
      throw err instanceof UserNotFoundException ? new NotAuthorizedException('Invalid Access Token') : err;
    });
    await signOutEverywhere(deps, pool, user);
    return {};
  },
});
