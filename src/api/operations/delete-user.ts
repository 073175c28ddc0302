import { deleteSelf } from '../../domain/passwords.js';
import { authorizeAccessToken } from '../../domain/tokens.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** The signed-in user deletes their account; their codes and refresh tokens go with it. */
export default defineOperation<{ AccessToken: string }>({
  name: 'DeleteUser',
  auth: 'public',
  // The model declares UserNotFoundException: a token of a user already deleted answers “User does not exist.”
  errors: [InvalidParameterException, NotAuthorizedException, UserNotFoundException],
  async run(input, { deps }) {
    const { pool, user } = await authorizeAccessToken(deps, input.AccessToken);
    await deleteSelf(deps, pool, user);
    return {};
  },
});
