import { confirmSignUp } from '../../domain/users.js';
import {
  AliasExistsException, CodeMismatchException, ExpiredCodeException, InvalidParameterException, LimitExceededException,
  NotAuthorizedException, ResourceNotFoundException, TooManyFailedAttemptsException, UserNotFoundException,
} from '../../errors/catalog.js';
import { clientContext } from '../client-context.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ ClientId: string; SecretHash?: string; Username: string; ConfirmationCode: string; ForceAliasCreation?: boolean }>({
  name: 'ConfirmSignUp',
  auth: 'public',
  errors: [
    AliasExistsException, CodeMismatchException, ExpiredCodeException, InvalidParameterException, LimitExceededException, NotAuthorizedException,
    ResourceNotFoundException, TooManyFailedAttemptsException, UserNotFoundException,
  ],
  async run(input, { deps }) {
    const { client, pool } = await clientContext(deps, input.ClientId, input.SecretHash, [input.Username]);
    await confirmSignUp(deps, pool, client, input.Username, input.ConfirmationCode, input.ForceAliasCreation ?? false);
    return {};
  },
});
