import { changePassword } from '../../domain/passwords.js';
import { authorizeAccessToken } from '../../domain/tokens.js';
import {
  InvalidParameterException, InvalidPasswordException, NotAuthorizedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** The signed-in user changes their password; the session goes on (the current tokens stay valid). */
export default defineOperation<{ PreviousPassword?: string; ProposedPassword: string; AccessToken: string }>({
  name: 'ChangePassword',
  auth: 'public',
  errors: [InvalidParameterException, InvalidPasswordException, NotAuthorizedException, UserNotFoundException],
  partial: 'no password history; a wrong PreviousPassword counts towards the sign-in lockout, but there is no separate hourly limit on changes',
  async run(input, { deps }) {
    const { pool, user } = await authorizeAccessToken(deps, input.AccessToken);
    await changePassword(deps, pool, user, input.PreviousPassword, input.ProposedPassword);
    return {};
  },
});
