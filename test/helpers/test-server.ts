import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import pino from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/settings.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { SmtpSink } from './smtp-sink.js';

export const ADMIN = { accessKeyId: 'AKIATESTADMIN0000001', secretAccessKey: 'test-secret-access-key-0123456789abcdef' };

/**
 * The master key of test servers on PostgreSQL (which has no default key file), the same for every server
 * on one database. On SQLite they use the key file created next to the database.
 */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

/** The console's first administrator in every test server (sign in at /console with SRP). */
export const CONSOLE_ADMIN = { username: 'admin', password: 'Console-Admin-1' };

export interface TestServer extends RunningServer {
  smtp: SmtpSink;
  /** Every structured log line the server wrote. */
  logs: Record<string, unknown>[];
  /** AWS SDK v3 client signed with the admin credentials. */
  admin: CognitoIdentityProviderClient;
  /** AWS SDK v3 client without credentials (public operations are unsigned). */
  sdk: CognitoIdentityProviderClient;
  /** Moves the server's clock (ms). */
  advance(ms: number): void;
  stop(): Promise<void>;
}

/**
 * The real server on port 0 with a temporary SQLite file, a real SMTP sink and a clock the test can
 * move. stop() also fails the test if an operation threw an error type it does not declare.
 * `{ databaseUrl }` runs it on another database, e.g. PostgreSQL from createTestDatabase().
 */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const smtp = new SmtpSink();
  await smtp.listen();
  const dir = mkdtempSync(join(tmpdir(), 'cognate-test-'));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      cb();
    },
  });
  let offset = 0;
  const config = loadConfig({}, {
    port: 0, databaseUrl: `sqlite:${join(dir, 'cognate.db')}`, smtpUrl: smtp.url, demo: 'off', logLevel: 'info',
    adminAccessKeyId: ADMIN.accessKeyId, adminSecretAccessKey: ADMIN.secretAccessKey,
    consoleAdminUsername: CONSOLE_ADMIN.username, consoleAdminPassword: CONSOLE_ADMIN.password,
    // Every test client is 127.0.0.1 and some tests send thousands of requests: limits far above that
    // (test/integration/rate-limits.test.ts sets its own).
    rateLimitPerIp: 100_000, rateLimitPerPool: 100_000,
    ...(overrides.databaseUrl?.startsWith('postgres') && { masterKey: TEST_MASTER_KEY }), ...overrides,
  });
  const server = await startServer(config, pino({ level: config.logLevel }, sink), () => Date.now() + offset);
  const clientConfig = { endpoint: `${server.url}/`, region: 'us-east-1', maxAttempts: 1 };
  const admin = new CognitoIdentityProviderClient({ ...clientConfig, credentials: ADMIN });
  const sdk = new CognitoIdentityProviderClient({ ...clientConfig, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
  return {
    ...server, smtp, logs, admin, sdk,
    advance: (ms) => {
      offset += ms;
    },
    async stop() {
      admin.destroy();
      sdk.destroy();
      await server.close();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
      const undeclared = logs.filter((l) => l.msg === 'operation threw an error type it does not declare');
      if (undeclared.length > 0) throw new Error(`undeclared error types: ${JSON.stringify(undeclared)}`);
    },
  };
}

/** A pool like the workshop's (email as username, email auto-verified) and a web client without secret. */
export async function createWorkshopPool(
  server: TestServer,
  clientInput: Record<string, unknown> = {},
): Promise<{ poolId: string; clientId: string }> {
  const { CreateUserPoolCommand, CreateUserPoolClientCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  const pool = await server.admin.send(
    new CreateUserPoolCommand({ PoolName: 'WildRydes', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } }),
  );
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'WildRydesWebApp',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      ...clientInput,
    }),
  );
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}
