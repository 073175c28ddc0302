import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { exportUsers } from '../bulk/export-users.js';
import { DEFAULT_BATCH_SIZE, importUsers } from '../bulk/import-users.js';
import { loadConfig } from '../config/load-config.js';
import { Progress } from './progress.js';

/**
 * `cognate users import` / `cognate users export`: Cognito's user-import CSV, read and written straight
 * against the database (COGNATE_DATABASE_URL) like `migrate` — a million users through the API would take
 * a million calls. The server may run meanwhile; it sees imported users as each batch commits.
 */

const IMPORT_HELP = `
The file is Cognito's user-import CSV: its first line is a header of column names, those that
GetCSVHeader gives for the pool (aws cognito-idp get-csv-header), in any order; cognito:username and
cognito:mfa_enabled are required, the other columns may be left out. Per row:
  cognito:username      the username (in a pool with email / phone as username: the email / phone number)
  cognito:mfa_enabled   false (Cognate has no MFA: true refuses the row)
  email_verified, phone_number_verified   true or false; at least one of the pool's auto-verified
                        attributes must be true (the user gets the password-reset code there)
  every other column    the attribute's value, checked against the pool's schema; empty = not set
Values are bare as in Cognito's files (a comma inside one escaped with a backslash) or quoted as in
RFC 4180. Imported users have status RESET_REQUIRED and no password: they set one with ForgotPassword.

Refused rows (invalid, or the username or email taken) are counted and written with their line and
reason to <file>.errors.csv; the import goes on. Rows are committed 10,000 at a time with a checkpoint:
after a crash or Ctrl-C, run the same command again to go on where it stopped (each row is imported
exactly once); run again after it finished, it says "already imported".

Example: cognate users import users.csv --pool us-east-1_AbCdEfGhI
`;

export function registerUsers(program: Command): void {
  const users = program.command('users').description("bulk users: Cognito's user-import CSV into and out of the database");

  users
    .command('import')
    .description("import users from Cognito's user-import CSV (GetCSVHeader's columns), resumable")
    .argument('<file>', 'the CSV file')
    .requiredOption('--pool <id>', 'user pool id')
    .option('--errors <path>', 'where refused rows go (default: <file>.errors.csv)')
    .option('--batch-size <n>', `rows per transaction (default: ${DEFAULT_BATCH_SIZE})`, (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('a whole number from 1 to 100000');
      return n;
    })
    .addHelpText('after', IMPORT_HELP)
    .action(async (file: string, opts: { pool: string; errors?: string; batchSize?: number }) => {
      const progress = new Progress('import');
      process.once('SIGINT', () => {
        progress.stop();
        process.stderr.write('\ninterrupted: the committed rows are in; run the same command again to go on\n');
        process.exit(130);
      });
      const result = await importUsers({
        config: loadConfig(), poolId: opts.pool, file, errorsFile: opts.errors, batchSize: opts.batchSize,
        onStart: ({ total, done }) => {
          if (done > 0) process.stderr.write(`resuming after row ${done}: the rows before it were imported by an earlier run\n`);
          progress.start(total, done);
        },
        onProgress: ({ done, total }) => progress.update(done, total),
      }).finally(() => progress.stop());
      if (result.alreadyImported) {
        process.stdout.write(`already imported: ${file} into ${opts.pool} (${result.imported} users, ${result.failed} failed); nothing to do\n`);
        return;
      }
      const failed = result.failed > 0 ? `${result.failed} failed (see ${result.errorsFile})` : '0 failed';
      process.stdout.write(`imported ${result.imported} users, ${failed}, in ${result.seconds.toFixed(1)} s (${Math.round(result.rate)} rows/s)\n`);
    });

  users
    .command('export')
    .description("export a pool's users as Cognito's user-import CSV (stdout unless --out); `users import` reads it")
    .requiredOption('--pool <id>', 'user pool id')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: { pool: string; out?: string }) => {
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      const progress = new Progress('export');
      const result = await exportUsers({
        config: loadConfig(), poolId: opts.pool, out,
        onStart: ({ total }) => progress.start(total),
        onProgress: ({ done, total }) => progress.update(done, total),
      }).finally(() => progress.stop());
      if (opts.out) {
        out.end();
        await once(out, 'finish');
      }
      const where = opts.out ? ` to ${opts.out}` : '';
      process.stderr.write(`exported ${result.users} users${where} in ${result.seconds.toFixed(1)} s (${Math.round(result.rate)} rows/s)\n`);
    });
}
