import { changeUserAttributes } from '../../domain/attribute-updates.js';
import {
  AliasExistsException, InvalidParameterException, NotAuthorizedException, UserNotFoundException,
} from '../../errors/catalog.js';
import { accessContext } from '../access-token.js';
import { defineOperation } from '../operation.js';
import { attributesFromWire, deliveryToWire, type WireAttribute } from '../wire/common.js';

/**
 * The signed-in user changes (or, with an empty value, deletes) attributes through the app client of
 * their access token; a new email is mailed a code when the pool verifies email automatically.
 */
export default defineOperation<{ UserAttributes: WireAttribute[]; AccessToken: string; ClientMetadata?: Record<string, string> }>({
  name: 'UpdateUserAttributes',
  auth: 'public',
  errors: [AliasExistsException, InvalidParameterException, NotAuthorizedException, UserNotFoundException],
  partial: 'a new phone_number gets no code (no SMS): it is unverified until an administrator verifies it; ClientMetadata is ignored (no Lambda triggers)',
  async run(input, { deps }) {
    const { pool, user, client } = await accessContext(deps, input.AccessToken);
    const deliveries = await changeUserAttributes(deps, pool, user, attributesFromWire(input.UserAttributes), { admin: false, client });
    return deliveries.length > 0 ? { CodeDeliveryDetailsList: deliveries.map(deliveryToWire) } : {};
  },
});
