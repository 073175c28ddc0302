import { createPool } from '../../domain/pools.js';
import { InvalidParameterException, LimitExceededException, NotAuthorizedException } from '../../errors/catalog.js';
import { defineOperation } from '../operation.js';
import { poolSettingsFromWire, poolToWire, type WirePoolInput } from '../wire/user-pool.js';

export default defineOperation<WirePoolInput & { PoolName: string }>({
  name: 'CreateUserPool',
  auth: 'sigv4',
  errors: [InvalidParameterException, LimitExceededException, NotAuthorizedException],
  partial: 'every setting is stored and returned; acted on: password policy, username/alias attributes, auto-verified email, case sensitivity, admin-only sign-up, deletion protection, email verification and invitation templates, EmailConfiguration From/ReplyTo/SourceArn address (all mail goes through Cognate\'s SMTP server, never SES), custom attribute schema. Stored only: DefaultEmailOption CONFIRM_WITH_LINK and its link templates (codes are mailed: the link needs a hosted-UI domain), SMS templates, Lambda triggers, MFA, SMS, tags',
  async run(input, { deps }) {
    const pool = await createPool(deps, input.PoolName, poolSettingsFromWire(input));
    return { UserPool: poolToWire(pool, 0) };
  },
});
