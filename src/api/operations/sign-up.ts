import { signUp } from '../../domain/users.js';
import {
  InvalidParameterException, InvalidPasswordException, NotAuthorizedException, ResourceNotFoundException, UsernameExistsException,
} from '../../errors/catalog.js';
import { clientContext } from '../client-context.js';
import { attributesFromWire, deliveryToWire, type WireAttribute } from '../wire/common.js';
import { defineOperation } from '../operation.js';

interface SignUpInput {
  ClientId: string;
  SecretHash?: string;
  Username: string;
  Password?: string;
  UserAttributes?: WireAttribute[];
}

export default defineOperation<SignUpInput>({
  name: 'SignUp',
  auth: 'public',
  errors: [InvalidParameterException, InvalidPasswordException, NotAuthorizedException, ResourceNotFoundException, UsernameExistsException],
  partial: 'email only (no SMS/phone delivery); no Lambda triggers; no USER_AUTH Session for auto sign-in',
  async run(input, { deps }) {
    const { client, pool } = await clientContext(deps, input.ClientId, input.SecretHash, [input.Username]);
    const result = await signUp(deps, pool, client, { username: input.Username, password: input.Password, attributes: attributesFromWire(input.UserAttributes) });
    return { UserConfirmed: result.confirmed, UserSub: result.userSub, CodeDeliveryDetails: result.delivery && deliveryToWire(result.delivery) };
  },
});
