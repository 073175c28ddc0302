import { requirePool } from '../../domain/pools.js';
import { csvHeader } from '../../domain/user-csv.js';
import { InvalidParameterException, ResourceNotFoundException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';

/** The pool's user-import CSV header: the columns `cognate users import` reads and `cognate users export` writes. */
export default defineOperation<{ UserPoolId: string }>({
  name: 'GetCSVHeader',
  auth: 'sigv4',
  errors: [InvalidParameterException, ResourceNotFoundException],
  async run(input, { deps }) {
    const pool = await requirePool(deps, input.UserPoolId);
    return { UserPoolId: pool.id, CSVHeader: csvHeader(pool.settings) };
  },
});
