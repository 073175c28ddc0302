import { addCustomAttributes } from '../../domain/attribute-schema.js';
import { InvalidParameterException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { schemaInputFromWire, type WireSchemaAttribute } from '../wire/user-pool.js';

/**
 * Adds custom (or developer-only) attributes to a pool's schema, all or none: a name already taken,
 * a missing data type, Required, bad constraints or more than 50 custom attributes refuse the lot.
 * Usable at once by writes on this instance (a pool change clears the read cache).
 */
export default defineOperation<{ UserPoolId: string; CustomAttributes: WireSchemaAttribute[] }>({
  name: 'AddCustomAttributes',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException],
  async run(input, { deps }) {
    await addCustomAttributes(deps, input.UserPoolId, input.CustomAttributes.map(schemaInputFromWire));
    return {};
  },
});
