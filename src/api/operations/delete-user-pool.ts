import { deletePool } from '../../domain/pools.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

export default defineOperation<{ UserPoolId: string }>({
  name: 'DeleteUserPool',
  auth: 'sigv4',
  errors: [InvalidParameterException, NotAuthorizedException, ResourceNotFoundException],
  async run(input, { deps }) {
    await deletePool(deps, input.UserPoolId);
    return {};
  },
});
