import pino from 'pino';
import { ConfigError, loadConfig } from './config/load-config.js';
import { configJs } from './demo/config-js.js';
import { startServer } from './server.js';

/** `npm start`: load config → open and migrate the store → build the app → listen → print the URLs. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization'] });
  const server = await startServer(config, logger);
  const lines = [
    '',
    `Cognate is running at ${server.url}/`,
    `  Demo site (Wild Rydes) ${server.url}/`,
    `  Admin console          ${server.url}/console`,
    `  Cognito API endpoint   ${server.url}/   (POST, X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>)`,
    `  Health                 ${server.url}/health`,
  ];
  if (server.runtime.sender.mode === 'dev-outbox') lines.push(`  Dev outbox (no SMTP)   ${server.url}/_dev/outbox`);
  if (server.demo) {
    lines.push(
      `  Demo pool (WildRydes)  ${server.demo.poolId}`,
      `  Demo app client        ${server.demo.clientId}`,
      `  JWKS                   ${server.url}/${server.demo.poolId}/.well-known/jwks.json`,
      '',
      'js/config.js for the demo pool:',
      configJs({ poolId: server.demo.poolId, clientId: server.demo.clientId, endpoint: `${server.url}/`, invokeUrl: `${server.url}/demo/api` }),
    );
  }
  const seed = server.console;
  lines.push(
    seed.generatedPassword
      ? `Console: ${server.url}/console  user: ${seed.adminUsername}  password: ${seed.generatedPassword}  (shown once)`
      : `Console: ${server.url}/console  user: ${seed.adminUsername}`,
  );
  const admin = server.runtime.admin;
  lines.push(`Admin (SigV4) access key id: ${admin.accessKeyId}  region: ${config.region}`);
  if (admin.generated) {
    lines.push(
      `Admin secret access key (generated now, shown once; stored in the database): ${admin.secretAccessKey}`,
      `  e.g. AWS_ACCESS_KEY_ID=${admin.accessKeyId} AWS_SECRET_ACCESS_KEY=<secret> aws --endpoint-url ${server.url} --region ${config.region} cognito-idp list-user-pools --max-results 10`,
    );
  } else if (!config.adminAccessKeyId) {
    lines.push('  (the generated secret was printed on first start; `npm run cognate -- admin-credentials` shows it again)');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`Cognate failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
