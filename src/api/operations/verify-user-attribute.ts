import { verifyUserAttribute } from '../../domain/attribute-updates.js';
import {
  AliasExistsException, CodeMismatchException, ExpiredCodeException, InvalidParameterException, LimitExceededException,
  NotAuthorizedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { accessContext } from '../access-token.js';
import { defineOperation } from '../operation.js';

/** The mailed code verifies the email (promoting a pending new one) and claims its alias. */
export default defineOperation<{ AccessToken: string; AttributeName: string; Code: string }>({
  name: 'VerifyUserAttribute',
  auth: 'public',
  errors: [
    AliasExistsException, CodeMismatchException, ExpiredCodeException, InvalidParameterException, LimitExceededException, NotAuthorizedException,
    UserNotFoundException,
  ],
  partial: 'email only: no code is ever sent to a phone_number (no SMS), so verifying one answers ExpiredCodeException',
  async run(input, { deps }) {
    const { pool, user } = await accessContext(deps, input.AccessToken);
    await verifyUserAttribute(deps, pool, user, input.AttributeName, input.Code);
    return {};
  },
});
