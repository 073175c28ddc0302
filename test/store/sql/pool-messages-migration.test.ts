import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/store/open-store.js';
import { MIGRATIONS } from '../../../src/store/sql/migrations.js';
import { openSqlite } from '../../../src/store/sqlite/open-sqlite.js';

/** A pool as the releases before 0004 stored it: templates loose and in passthrough. */
const LEGACY = {
  region: 'us-east-1',
  emailSubject: 'Welcome aboard',
  emailMessage: 'Your code: {####}',
  schema: [],
  passthrough: {
    UserPoolTags: { team: 'rides' },
    SmsVerificationMessage: 'SMS {####}',
    EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'Rides <rides@example.com>', SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com' },
    AdminCreateUserConfig: { UnusedAccountValidityDays: 7, InviteMessageTemplate: { EmailSubject: 'Hi', EmailMessage: '{username} / {####}' } },
  },
};

const opened: { destroy(): Promise<void> }[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
});

async function legacyDatabase(settings: object) {
  const { db } = openSqlite(':memory:');
  opened.push(db);
  const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0004'));
  await migrate(db, before);
  await sql`insert into pools (id, name, settings, created_at, updated_at) values ('us-east-1_legacy', 'Legacy', ${JSON.stringify(settings)}, 1, 2)`.execute(db);
  return db;
}

const settingsOf = async (db: Awaited<ReturnType<typeof legacyDatabase>>) =>
  JSON.parse((await sql<{ settings: string }>`select settings from pools where id = 'us-east-1_legacy'`.execute(db)).rows[0]!.settings);

describe('migration 0004_pool_mail_settings', () => {
  it('moves the templates and EmailConfiguration into messages and emailSending, leaving the rest of passthrough', async () => {
    const db = await legacyDatabase(LEGACY);
    expect(await migrate(db)).toContain('0004_pool_mail_settings');
    const s = await settingsOf(db);
    expect(s.messages).toEqual({
      verification: { emailSubject: 'Welcome aboard', emailMessage: 'Your code: {####}', smsMessage: 'SMS {####}', defaultEmailOption: 'CONFIRM_WITH_CODE' },
      invitation: { emailSubject: 'Hi', emailMessage: '{username} / {####}' },
    });
    expect(s.emailSending).toEqual({
      account: 'DEVELOPER', from: 'Rides <rides@example.com>', sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
    });
    expect(s.passthrough).toEqual({ UserPoolTags: { team: 'rides' }, AdminCreateUserConfig: { UnusedAccountValidityDays: 7 } });
    expect(s).not.toHaveProperty('emailSubject');
    expect(s).not.toHaveProperty('emailMessage');
    expect(s.region).toBe('us-east-1');
  });

  it('gives a pool that customised nothing the defaults', async () => {
    const db = await legacyDatabase({ region: 'us-east-1', schema: [], passthrough: {} });
    await migrate(db);
    const s = await settingsOf(db);
    expect(s.messages).toEqual({ verification: { defaultEmailOption: 'CONFIRM_WITH_CODE' }, invitation: {} });
    expect(s.emailSending).toEqual({ account: 'COGNITO_DEFAULT' });
    expect(s.passthrough).toEqual({});
  });
});
