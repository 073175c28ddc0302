import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * Writes a user-import CSV of N made-up users for `cognate users import` (README, "Bulk import and
 * export"): user<i>@example.com, email verified, a given and a family name. In a pool with email as
 * username cognito:username is the email (--email-username), otherwise user<i>.
 *
 *   npx tsx bench/users-csv.ts --users 100000 --out /tmp/users.csv --email-username
 */
const { values } = parseArgs({
  options: { users: { type: 'string', default: '100000' }, out: { type: 'string', default: 'users.csv' }, 'email-username': { type: 'boolean', default: false } },
});
const count = Number(values.users);
if (!Number.isInteger(count) || count < 0) throw new Error('--users takes a whole number');
const out = createWriteStream(values.out);
const write = async (text: string) => {
  if (!out.write(text)) await once(out, 'drain');
};
await write('cognito:username,email,email_verified,given_name,family_name,cognito:mfa_enabled\n');
const width = String(count).length;
let chunk = '';
for (let i = 1; i <= count; i++) {
  const n = String(i).padStart(width, '0');
  const email = `user${n}@example.com`;
  chunk += `${values['email-username'] ? email : `user${n}`},${email},true,Rider,Number ${n},false\n`;
  if (chunk.length > 1 << 16) {
    await write(chunk);
    chunk = '';
  }
}
await write(chunk);
out.end();
await once(out, 'finish');
process.stderr.write(`wrote ${count} users to ${values.out}\n`);
