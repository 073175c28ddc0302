import { changeUserAttributes } from '../../domain/attribute-updates.js';
import { requirePool } from '../../domain/pools.js';
import { requireUser } from '../../domain/users.js';
import {
  AliasExistsException, InvalidParameterException, ResourceNotFoundException, UserNotFoundException,
} from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { attributesFromWire, type WireAttribute } from '../wire/common.js';

/**
 * An administrator changes a user's attributes; `email_verified` / `phone_number_verified` may be set
 * directly (`true` with a new value skips the code, and takes a verified alias from another user).
 */
export default defineOperation<{ UserPoolId: string; Username: string; UserAttributes: WireAttribute[]; ClientMetadata?: Record<string, string> }>({
  name: 'AdminUpdateUserAttributes',
  auth: 'sigv4',
  errors: [AliasExistsException, InvalidParameterException, ResourceNotFoundException, UserNotFoundException],
  partial: 'a new phone_number gets no code (no SMS); ClientMetadata is ignored (no Lambda triggers)',
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    const user = await requireUser(deps, pool, input.Username);
    await changeUserAttributes(deps, pool, user, attributesFromWire(input.UserAttributes), { admin: true });
    return {};
  },
});
