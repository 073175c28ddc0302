import {
  AdminConfirmSignUpCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, DescribeUserPoolClientCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Command, InvalidArgumentError } from 'commander';
import { openSealedStore } from '../bulk/open-sealed-store.js';
import { loadConfig } from '../config/load-config.js';
import { configJs } from '../demo/config-js.js';
import { openStore } from '../store/open-store.js';
import { registerKeys } from './keys.js';
import { registerUsers } from './users.js';

/**
 * `cognate`: serve, and the common admin actions. Admin actions go through the Cognito API like any
 * SDK (SigV4 with the admin credentials), never into the store; only `migrate`, `admin-credentials`,
 * `keys rotate` and the bulk `users import` / `users export` (src/bulk/) open the database itself.
 */
const program = new Command('cognate').description('Cognate: a self-hosted Amazon Cognito User Pools API').showHelpAfterError();

async function adminCredentials(): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const config = loadConfig();
  if (config.adminAccessKeyId && config.adminSecretAccessKey) return { accessKeyId: config.adminAccessKeyId, secretAccessKey: config.adminSecretAccessKey };
  const store = await openSealedStore(config);
  try {
    const stored = await store.kv.get('admin-credentials');
    if (!stored) throw new Error('No admin credentials yet: start the server once (npm start) or set COGNATE_ADMIN_ACCESS_KEY_ID / COGNATE_ADMIN_SECRET_ACCESS_KEY.');
    return JSON.parse(stored);
  } finally {
    await store.close();
  }
}

function endpointOf(opts: { endpoint?: string }): string {
  const config = loadConfig();
  return (opts.endpoint ?? config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
}

async function api(opts: { endpoint?: string }): Promise<CognitoIdentityProviderClient> {
  return new CognitoIdentityProviderClient({ endpoint: `${endpointOf(opts)}/`, region: loadConfig().region, credentials: await adminCredentials() });
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const endpointOption = ['--endpoint <url>', 'Cognate URL (default: COGNATE_PUBLIC_URL or http://COGNATE_HOST:COGNATE_PORT)'] as const;

program
  .command('serve')
  .description('run the server (same as npm start; configure with COGNATE_* variables)')
  .option('--workers <n>', 'server processes sharing the port, to use several cores (default: COGNATE_WORKERS or 1)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('a whole number from 1 to 64');
    return n;
  })
  .action(async (opts: { workers?: number }) => {
    const { run, reportStartFailure } = await import('../main.js');
    await run(opts.workers ? { workers: opts.workers } : {}).catch(reportStartFailure);
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const store = await openStore(loadConfig().databaseUrl);
    await store.close();
    process.stdout.write('database is up to date\n');
  });

program
  .command('admin-credentials')
  .description('print the admin (SigV4) credentials stored in the database')
  .action(async () => {
    print(await adminCredentials());
  });

const pool = program.command('pool').description('user pools');
pool
  .command('create')
  .description('create a user pool')
  .requiredOption('--name <name>', 'pool name')
  .option('--email-username', 'users sign up with their email as username, verified by a mailed code (the workshop setup)')
  .option(...endpointOption)
  .action(async (opts: { name: string; emailUsername?: boolean; endpoint?: string }) => {
    const client = await api(opts);
    const input = opts.emailUsername
      ? { PoolName: opts.name, UsernameAttributes: ['email' as const], AutoVerifiedAttributes: ['email' as const], UsernameConfiguration: { CaseSensitive: false } }
      : { PoolName: opts.name };
    const out = await client.send(new CreateUserPoolCommand(input));
    print({ Id: out.UserPool?.Id, Name: out.UserPool?.Name, Arn: out.UserPool?.Arn });
  });
pool
  .command('list')
  .description('list user pools')
  .option(...endpointOption)
  .action(async (opts: { endpoint?: string }) => {
    const out = await (await api(opts)).send(new ListUserPoolsCommand({ MaxResults: 60 }));
    print(out.UserPools?.map((p) => ({ Id: p.Id, Name: p.Name })));
  });


program
  .command('client')
  .description('app clients')
  .command('create')
  .description('create an app client (no secret unless --secret: browser apps cannot keep one)')
  .requiredOption('--pool <id>', 'user pool id')
  .requiredOption('--name <name>', 'client name')
  .option('--secret', 'generate a client secret')
  .option(...endpointOption)
  .action(async (opts: { pool: string; name: string; secret?: boolean; endpoint?: string }) => {
    const out = await (await api(opts)).send(new CreateUserPoolClientCommand({ UserPoolId: opts.pool, ClientName: opts.name, GenerateSecret: opts.secret ?? false }));
    print({ ClientId: out.UserPoolClient?.ClientId, ClientSecret: out.UserPoolClient?.ClientSecret });
  });

program
  .command('user')
  .description('users')
  .command('confirm')
  .description("confirm a user's sign-up by hand (AdminConfirmSignUp)")
  .requiredOption('--pool <id>', 'user pool id')
  .requiredOption('--username <name>', 'username or email')
  .option(...endpointOption)
  .action(async (opts: { pool: string; username: string; endpoint?: string }) => {
    await (await api(opts)).send(new AdminConfirmSignUpCommand({ UserPoolId: opts.pool, Username: opts.username }));
    process.stdout.write(`confirmed ${opts.username}\n`);
  });

registerUsers(program);
registerKeys(program);

program
  .command('config-js')
  .description("print js/config.js (the workshop's format plus the endpoint) for a pool and app client")
  .requiredOption('--pool <id>', 'user pool id')
  .requiredOption('--client <id>', 'app client id')
  .option(...endpointOption)
  .option('--no-check', 'do not ask the server whether the client exists')
  .action(async (opts: { pool: string; client: string; endpoint?: string; check: boolean }) => {
    if (opts.check) await (await api(opts)).send(new DescribeUserPoolClientCommand({ UserPoolId: opts.pool, ClientId: opts.client }));
    process.stdout.write(configJs({ poolId: opts.pool, clientId: opts.client, endpoint: `${endpointOf(opts)}/` }));
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`cognate: ${err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err)}\n`);
  process.exit(1);
});
