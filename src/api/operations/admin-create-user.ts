import { adminCreateUser } from '../../domain/admin-users.js';
import { requirePool } from '../../domain/pools.js';
import {
  InvalidParameterException, InvalidPasswordException, NotAuthorizedException, ResourceNotFoundException,
  UnsupportedUserStateException, UserNotFoundException, UsernameExistsException,
} from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { attributesFromWire, type WireAttribute } from '../wire/common.js';
import { userToWire } from '../wire/user.js';

interface AdminCreateUserInput {
  UserPoolId: string;
  Username: string;
  UserAttributes?: WireAttribute[];
  TemporaryPassword?: string;
  ForceAliasCreation?: boolean;
  MessageAction?: 'RESEND' | 'SUPPRESS';
  DesiredDeliveryMediums?: ('EMAIL' | 'SMS')[];
}

/** A user in FORCE_CHANGE_PASSWORD with a temporary password, invited by mail; RESEND invites again with a new one. */
export default defineOperation<AdminCreateUserInput>({
  name: 'AdminCreateUser',
  auth: 'sigv4',
  errors: [
    InvalidParameterException, InvalidPasswordException, NotAuthorizedException, ResourceNotFoundException,
    UnsupportedUserStateException, UserNotFoundException, UsernameExistsException,
  ],
  partial:
    'invitations by email only: without DesiredDeliveryMediums (Cognito’s default is SMS) the invitation is mailed when the user has an email, SMS is never sent; ValidationData and ClientMetadata are ignored (no Lambda triggers); an email alias already held by another user is refused as UsernameExists unless ForceAliasCreation',
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const user = await adminCreateUser(deps, pool, {
      username: input.Username,
      attributes: attributesFromWire(input.UserAttributes),
      temporaryPassword: input.TemporaryPassword,
      messageAction: input.MessageAction,
      desiredDeliveryMediums: input.DesiredDeliveryMediums,
      forceAliasCreation: input.ForceAliasCreation ?? false,
    });
    return { User: userToWire(user) };
  },
});
