import type { Command } from 'commander';
import { rotateMasterKey } from '../bulk/rotate-master-key.js';
import { loadConfig } from '../config/load-config.js';

const ROTATE_HELP = `
The master key (COGNATE_MASTER_KEY, or the key file COGNATE_MASTER_KEY_FILE / master.key next to a
SQLite database) wraps the server secret in the database, from which every other key derives. Rotating
re-wraps that one row under a new key, in one transaction; nothing else in the database changes, so
users, signing keys, sessions and refresh tokens stay valid.

  key file             the new key replaces it (the old one is kept as <file>.old until the database
                       is re-wrapped, then removed)
  COGNATE_MASTER_KEY   the new key is printed once: set it as COGNATE_MASTER_KEY on every instance

Running instances keep working (they hold the unwrapped secret) until restarted; a start with the old
key is refused. Back up the new key (apart from the database) before you delete the old one.
`;

/** `cognate keys rotate`: a new master key for the database (src/bulk/rotate-master-key.ts). */
export function registerKeys(program: Command): void {
  program
    .command('keys')
    .description('the master key that seals the secrets in the database')
    .command('rotate')
    .description('replace the master key: re-wraps the server secret in the database under a new key')
    .addHelpText('after', ROTATE_HELP)
    .action(async () => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      let shown = false;
      const result = await rotateMasterKey(loadConfig(), {
        onNewKey: (key) => {
          out('New master key (shown once; the database is re-wrapped under it next):');
          out(key);
          shown = true;
        },
      }).catch((err: unknown) => {
        if (shown) process.stderr.write('The database was not re-wrapped: discard the key above, COGNATE_MASTER_KEY stays as it is.\n');
        throw err;
      });
      out(`master key rotated: ${result.from} -> ${result.to}`);
      if (result.file) {
        out(`the new key is in ${result.file}; back it up apart from the database.`);
        out('Running instances keep working; they use the new key from their next start.');
      } else {
        out('Set COGNATE_MASTER_KEY to the new key on every instance and restart them: a start with the old key is refused.');
        out('Running instances keep working until then.');
      }
    });
}
