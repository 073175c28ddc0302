import { confirmForgotPassword } from '../../domain/account-recovery.js';
import {
  CodeMismatchException, ExpiredCodeException, InvalidParameterException, InvalidPasswordException, LimitExceededException,
  NotAuthorizedException, ResourceNotFoundException, TooManyFailedAttemptsException, UserNotFoundException,
} from '../../errors/catalog.js';
import { clientContext } from '../client-context.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ ClientId: string; SecretHash?: string; Username: string; ConfirmationCode: string; Password: string }>({
  name: 'ConfirmForgotPassword',
  auth: 'public',
  errors: [
    CodeMismatchException, ExpiredCodeException, InvalidParameterException, InvalidPasswordException, LimitExceededException,
    NotAuthorizedException, ResourceNotFoundException, TooManyFailedAttemptsException, UserNotFoundException,
  ],
  partial: 'no password history (PasswordHistorySize is not enforced)',
  async run(input, { deps }) {
    const { client, pool } = await clientContext(deps, input.ClientId, input.SecretHash, [input.Username]);
    await confirmForgotPassword(deps, pool, client, input.Username, input.ConfirmationCode, input.Password);
    return {};
  },
});
