import { sql, type Kysely } from 'kysely';

type Json = Record<string, unknown>;

const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Migration 0004: pools keep their mail templates and EmailConfiguration as first-class settings
 * (`messages`, `emailSending`) instead of the loose emailSubject/emailMessage and what used to travel
 * in `passthrough` (EmailConfiguration, SmsVerificationMessage, AdminCreateUserConfig.InviteMessageTemplate).
 * A data migration: it reads and rewrites each pool's settings JSON, so it is written against the
 * stored shapes of that time, not today's types.
 */
export async function moveMailSettings(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ id: string; settings: string }>`select id, settings from pools`.execute(db);
  for (const row of rows) {
    const settings = JSON.parse(row.settings) as Json;
    if (settings.messages !== undefined) continue;
    const { emailSubject, emailMessage, passthrough = {}, ...rest } = settings as Json & { passthrough?: Json };
    const { EmailConfiguration, SmsVerificationMessage, AdminCreateUserConfig, ...otherPassthrough } = passthrough;
    const email = (EmailConfiguration ?? {}) as Json;
    const { InviteMessageTemplate, ...otherAdminCreate } = (AdminCreateUserConfig ?? {}) as Json;
    const invite = (InviteMessageTemplate ?? {}) as Json;
    const moved: Json = {
      ...rest,
      messages: {
        verification: defined({
          emailSubject: str(emailSubject), emailMessage: str(emailMessage), smsMessage: str(SmsVerificationMessage), defaultEmailOption: 'CONFIRM_WITH_CODE',
        }),
        invitation: defined({ emailSubject: str(invite.EmailSubject), emailMessage: str(invite.EmailMessage), smsMessage: str(invite.SMSMessage) }),
      },
      emailSending: defined({
        account: email.EmailSendingAccount === 'DEVELOPER' ? 'DEVELOPER' : 'COGNITO_DEFAULT', from: str(email.From),
        replyTo: str(email.ReplyToEmailAddress), sourceArn: str(email.SourceArn), configurationSet: str(email.ConfigurationSet),
      }),
      passthrough: { ...otherPassthrough, ...(Object.keys(otherAdminCreate).length > 0 ? { AdminCreateUserConfig: otherAdminCreate } : {}) },
    };
    await sql`update pools set settings = ${JSON.stringify(moved)} where id = ${row.id}`.execute(db);
  }
}
