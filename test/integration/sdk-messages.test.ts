import {
  AdminCreateUserCommand, AdminResetUserPasswordCommand, ConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  DescribeUserPoolCommand, ForgotPasswordCommand, ListUserPoolsCommand, ResendConfirmationCodeCommand, SignUpCommand, UpdateUserPoolCommand,
  type CreateUserPoolCommandInput, type UpdateUserPoolCommandInput, type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AddressObject, ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The pool's mail through the AWS SDK v3 and a real SMTP sink (parsed by mailparser): which template
 * each kind of mail uses (sign-up, resend, password reset by the user or an administrator, invitation),
 * Cognito's defaults and a pool's own templates, its From and Reply-To, the text and HTML parts; how
 * DescribeUserPool echoes the templates; and the templates and sender settings Cognito refuses.
 */
let server: TestServer;

const PASSWORD = 'Wild-Rydes-1';
const SERVER_FROM = 'no-reply@cognate.localhost';

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

/** A pool where the email is the username and is verified by a mailed code, and a web client. */
async function mailPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<{ poolId: string; clientId: string }> {
  const pool = await server.admin.send(new CreateUserPoolCommand({
    PoolName: 'Messages', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], ...input,
  }));
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }));
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}

const describePool = async (poolId: string): Promise<UserPoolType> => (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;

/** The next mail to `to` after what the sink holds now, once `action` has run. */
async function mailAfter(to: string, action: () => Promise<unknown>): Promise<ParsedMail> {
  const before = server.smtp.messages.length;
  await action();
  return server.smtp.waitFor(to, 10_000, before);
}

const codeOf = (mail: ParsedMail) => /\b(\d{6})\b/.exec(mail.text ?? '')![1]!;
const signUp = (clientId: string, email: string) =>
  server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));

/** Signs up and confirms with the mailed code, so the email is verified (password reset needs that). */
async function confirmedUser(clientId: string, email: string): Promise<void> {
  const mail = await mailAfter(email, () => signUp(clientId, email));
  await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: codeOf(mail) }));
}

function expectHeaders(mail: ParsedMail, from: string, replyTo?: string): void {
  expect(mail.from?.value).toEqual([expect.objectContaining({ address: from })]);
  if (replyTo) expect((mail.replyTo as AddressObject | undefined)?.value).toEqual([expect.objectContaining({ address: replyTo })]);
  else expect(mail.replyTo).toBeUndefined();
  expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
  expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  expect(mail.messageId).toMatch(/^<.+@.+>$/);
  expect(mail.date).toBeInstanceOf(Date);
}

describe('default templates (a pool that customised nothing)', () => {
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    ({ poolId, clientId } = await mailPool());
  });

  it('DescribeUserPool shows Cognito’s defaults, the legacy fields in step with the template', async () => {
    const pool = await describePool(poolId);
    expect(pool.EmailVerificationMessage).toBe('Your verification code is {####}. ');
    expect(pool.EmailVerificationSubject).toBe('Your verification code');
    expect(pool.VerificationMessageTemplate).toEqual({
      EmailMessage: 'Your verification code is {####}. ', EmailSubject: 'Your verification code', DefaultEmailOption: 'CONFIRM_WITH_CODE',
    });
    expect(pool.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
    expect(pool.AdminCreateUserConfig?.InviteMessageTemplate).toBeUndefined();
    expect(pool.SmsVerificationMessage).toBeUndefined();
  });

  it('sign-up and resend: the verification wording from the server’s address, as text and HTML with the code in bold', async () => {
    const email = 'default-signup@example.com';
    const mail = await mailAfter(email, () => signUp(clientId, email));
    const code = codeOf(mail);
    expect(mail.subject).toBe('Your verification code');
    expect(mail.text?.trim()).toBe(`Your verification code is ${code}.`);
    expect(mail.html).toContain(`<p>Your verification code is <strong>${code}</strong>.</p>`);
    expect(mail.html).toMatch(/^<!doctype html><html><head><meta charset="utf-8"><title>Your verification code<\/title>/);
    expect((mail.to as AddressObject).value).toEqual([expect.objectContaining({ address: email })]);
    expectHeaders(mail, SERVER_FROM);
    expect(mail.from?.value[0]?.name).toBe('Cognate');

    const again = await mailAfter(email, () => server.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email })));
    expect(again.subject).toBe('Your verification code');
    expect(again.text?.trim()).toBe(`Your verification code is ${codeOf(again)}.`);
    expect(codeOf(again)).not.toBe(code);
  });

  it('password reset (ForgotPassword, AdminResetUserPassword): Cognito’s reset wording', async () => {
    const email = 'default-reset@example.com';
    await confirmedUser(clientId, email);
    for (const reset of [
      () => server.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email })),
      () => server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: email })),
    ]) {
      const mail = await mailAfter(email, reset);
      expect(mail.subject).toBe('Your password reset code');
      expect(mail.text?.trim()).toMatch(/^Your password reset code is \d{6}\. Enter it with a new password within 1 hour to sign in again\.$/);
      expect(mail.html).toContain(`<strong>${codeOf(mail)}</strong>`);
      expectHeaders(mail, SERVER_FROM);
    }
  });

  it('the invitation: username and temporary password, the password escaped in HTML', async () => {
    const email = 'default-invite@example.com';
    const temporary = 'Tmp<&>"Pass1';
    const mail = await mailAfter(email, () => server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, TemporaryPassword: temporary })));
    expect(mail.subject).toBe('Your temporary password');
    expect(mail.text?.trim()).toBe(`Your username is ${email} and temporary password is ${temporary}.`);
    expect(mail.html).toContain(`Your username is ${email} and temporary password is <strong>Tmp&#60;&#38;&#62;&#34;Pass1</strong>.`);
    expect(mail.html).not.toContain(temporary);
    expectHeaders(mail, SERVER_FROM);
  });
});

describe('a pool’s own templates and sender', () => {
  const SOURCE_ARN = 'arn:aws:ses:us-east-1:123456789012:identity/rides@example.com';
  const VERIFICATION = '<h1>Welcome to Wild Rydes</h1>\n<p>Hello {username}, your code is {####}.</p><p>Questions? Reply &amp; we&#39;ll help.</p>';
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    ({ poolId, clientId } = await mailPool({
      VerificationMessageTemplate: { EmailSubject: 'Wild Rydes: your code', EmailMessage: VERIFICATION, DefaultEmailOption: 'CONFIRM_WITH_CODE' },
      AdminCreateUserConfig: {
        InviteMessageTemplate: { EmailSubject: 'Join Wild Rydes', EmailMessage: 'Hi {username},\nyour first password is {####}\n\nSee you soon & ride safe' },
      },
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: SOURCE_ARN, From: 'Wild Rydes <rides@example.com>', ReplyToEmailAddress: 'help@example.com' },
    }));
  });

  it('DescribeUserPool echoes them, the legacy fields in step with the template', async () => {
    const pool = await describePool(poolId);
    expect(pool.VerificationMessageTemplate).toEqual({ EmailSubject: 'Wild Rydes: your code', EmailMessage: VERIFICATION, DefaultEmailOption: 'CONFIRM_WITH_CODE' });
    expect(pool.EmailVerificationMessage).toBe(VERIFICATION);
    expect(pool.EmailVerificationSubject).toBe('Wild Rydes: your code');
    expect(pool.AdminCreateUserConfig?.InviteMessageTemplate).toEqual({
      EmailSubject: 'Join Wild Rydes', EmailMessage: 'Hi {username},\nyour first password is {####}\n\nSee you soon & ride safe',
    });
    expect(pool.EmailConfiguration).toEqual({
      EmailSendingAccount: 'DEVELOPER', SourceArn: SOURCE_ARN, From: 'Wild Rydes <rides@example.com>', ReplyToEmailAddress: 'help@example.com',
    });
  });

  it('sign-up: an HTML template is the HTML part (the code in bold) and, stripped, the text part; {username} stays as written', async () => {
    const email = 'custom-signup@example.com';
    const mail = await mailAfter(email, () => signUp(clientId, email));
    const code = codeOf(mail);
    expect(mail.subject).toBe('Wild Rydes: your code');
    expect(mail.from?.value[0]?.name).toBe('Wild Rydes');
    expectHeaders(mail, 'rides@example.com', 'help@example.com');
    expect(mail.html).toContain(`<h1>Welcome to Wild Rydes</h1>\n<p>Hello {username}, your code is <strong>${code}</strong>.</p>`);
    expect(mail.text?.trim()).toBe(`Welcome to Wild Rydes\n\nHello {username}, your code is ${code}.\nQuestions? Reply & we'll help.`);
  });

  it('password reset by the user and by an administrator uses the customised verification template', async () => {
    const email = 'custom-reset@example.com';
    await confirmedUser(clientId, email);
    for (const reset of [
      () => server.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email })),
      () => server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: email })),
    ]) {
      const mail = await mailAfter(email, reset);
      expect(mail.subject).toBe('Wild Rydes: your code');
      expect(mail.text).toContain(`your code is ${codeOf(mail)}.`);
      expectHeaders(mail, 'rides@example.com', 'help@example.com');
    }
  });

  it('the invitation: a plain-text template keeps its paragraphs and line breaks in HTML', async () => {
    const email = 'custom-invite@example.com';
    const mail = await mailAfter(email, () => server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, TemporaryPassword: 'First-Ride-1' })));
    expect(mail.subject).toBe('Join Wild Rydes');
    expect(mail.text?.trim()).toBe(`Hi ${email},\nyour first password is First-Ride-1\n\nSee you soon & ride safe`);
    expect(mail.html).toContain(`<p>Hi ${email},<br>your first password is <strong>First-Ride-1</strong></p><p>See you soon &#38; ride safe</p>`);
    expectHeaders(mail, 'rides@example.com', 'help@example.com');
  });

  it('with COGNITO_DEFAULT, an SES identity address in SourceArn is the From', async () => {
    const { clientId: other } = await mailPool({ EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT', SourceArn: SOURCE_ARN } });
    const email = 'identity-from@example.com';
    const mail = await mailAfter(email, () => signUp(other, email));
    expect(mail.from?.value[0]?.name).toBe('');
    expectHeaders(mail, 'rides@example.com');
  });
});

describe('UpdateUserPool', () => {
  const update = (poolId: string, input: Partial<UpdateUserPoolCommandInput>) =>
    server.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, AutoVerifiedAttributes: ['email'], ...input }));

  it('keeps the legacy fields and the template in step; the template wins when both are sent; left out, the defaults return', async () => {
    const { poolId, clientId } = await mailPool();
    await update(poolId, { EmailVerificationMessage: 'Legacy code {####}', EmailVerificationSubject: 'Legacy subject' });
    let pool = await describePool(poolId);
    expect(pool.VerificationMessageTemplate).toMatchObject({ EmailMessage: 'Legacy code {####}', EmailSubject: 'Legacy subject' });
    expect(pool.EmailVerificationMessage).toBe('Legacy code {####}');
    const legacy = await mailAfter('legacy@example.com', () => signUp(clientId, 'legacy@example.com'));
    expect(legacy.subject).toBe('Legacy subject');
    expect(legacy.text?.trim()).toBe(`Legacy code ${codeOf(legacy)}`);

    await update(poolId, {
      EmailVerificationMessage: 'Legacy code {####}', EmailVerificationSubject: 'Legacy subject',
      VerificationMessageTemplate: { EmailMessage: 'Template code {####}', EmailSubject: 'Template subject' },
    });
    pool = await describePool(poolId);
    expect(pool.EmailVerificationMessage).toBe('Template code {####}');
    expect(pool.EmailVerificationSubject).toBe('Template subject');
    expect(pool.VerificationMessageTemplate).toEqual({ EmailMessage: 'Template code {####}', EmailSubject: 'Template subject', DefaultEmailOption: 'CONFIRM_WITH_CODE' });
    const both = await mailAfter('both@example.com', () => signUp(clientId, 'both@example.com'));
    expect(both.subject).toBe('Template subject');

    await update(poolId, {});
    pool = await describePool(poolId);
    expect(pool.EmailVerificationMessage).toBe('Your verification code is {####}. ');
    expect(pool.VerificationMessageTemplate?.EmailSubject).toBe('Your verification code');
  });

  it('stores CONFIRM_WITH_LINK and the link templates, and still mails a code (Cognate has no hosted-UI domain for the link)', async () => {
    const { poolId, clientId } = await mailPool();
    const template = {
      DefaultEmailOption: 'CONFIRM_WITH_LINK' as const, EmailMessage: 'Code {####}', EmailSubject: 'Your code',
      EmailMessageByLink: 'Please {##Verify Email##}', EmailSubjectByLink: 'Your link', SmsMessage: 'SMS {####}',
    };
    await update(poolId, { VerificationMessageTemplate: template });
    const pool = await describePool(poolId);
    expect(pool.VerificationMessageTemplate).toEqual(template);
    expect(pool.SmsVerificationMessage).toBe('SMS {####}');
    const mail = await mailAfter('linked@example.com', () => signUp(clientId, 'linked@example.com'));
    expect(mail.subject).toBe('Your code');
    expect(mail.text?.trim()).toBe(`Code ${codeOf(mail)}`);
  });
});

describe('templates and senders Cognito refuses (InvalidParameterException, nothing changes)', () => {
  const PATTERN = (path: string, value: string, pattern: string) =>
    `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`;
  const CODE_PATTERN = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*';
  const LINK_PATTERN = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{##[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*##\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*';
  const cases: { name: string; input: Partial<CreateUserPoolCommandInput>; message: string }[] = [
    {
      name: 'a verification message without {####}',
      input: { VerificationMessageTemplate: { EmailMessage: 'No code here' } },
      message: PATTERN('verificationMessageTemplate.emailMessage', 'No code here', CODE_PATTERN),
    },
    {
      name: 'a legacy verification message without {####}',
      input: { EmailVerificationMessage: 'No code here' },
      message: PATTERN('emailVerificationMessage', 'No code here', CODE_PATTERN),
    },
    {
      name: 'a subject longer than 140 characters',
      input: { VerificationMessageTemplate: { EmailSubject: 'x'.repeat(141) } },
      message: `1 validation error detected: Value '${'x'.repeat(141)}' at 'verificationMessageTemplate.emailSubject' failed to satisfy constraint: Member must have length less than or equal to 140`,
    },
    {
      name: 'a message shorter than 6 characters',
      input: { EmailVerificationMessage: '{####' },
      message: "2 validation errors detected: Value '{####' at 'emailVerificationMessage' failed to satisfy constraint: Member must have length greater than or equal to 6; "
        + `Value '{####' at 'emailVerificationMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: ${CODE_PATTERN}`,
    },
    {
      name: 'a link message without {##…##}',
      input: { VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK', EmailMessageByLink: 'Click here' } },
      message: PATTERN('verificationMessageTemplate.emailMessageByLink', 'Click here', LINK_PATTERN),
    },
    {
      name: 'a link message whose link has no text',
      input: { VerificationMessageTemplate: { EmailMessageByLink: 'Click {####}' } },
      message: 'The message is invalid.',
    },
    {
      name: 'an unknown DefaultEmailOption',
      input: { VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_PIGEON' as never } },
      message: "1 validation error detected: Value 'CONFIRM_WITH_PIGEON' at 'verificationMessageTemplate.defaultEmailOption' failed to satisfy constraint: Member must satisfy enum value set: [CONFIRM_WITH_LINK, CONFIRM_WITH_CODE]",
    },
    {
      name: 'an invitation without {username}',
      input: { AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'Your password is {####}' } } },
      message: 'The message is invalid.',
    },
    {
      name: 'an invitation without {####}',
      input: { AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'Welcome, {username}!' } } },
      message: 'The message is invalid.',
    },
    {
      name: 'an SMS invitation without the placeholders',
      input: { AdminCreateUserConfig: { InviteMessageTemplate: { SMSMessage: 'Welcome aboard' } } },
      message: 'The message is invalid.',
    },
    {
      name: 'a From with Cognito’s own sending',
      input: { EmailConfiguration: { From: 'rides@example.com' } },
      message: 'Cannot configure From email address for default email configuration',
    },
    {
      name: 'DEVELOPER without the SES identity',
      input: { EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'rides@example.com' } },
      message: 'SourceArn is required when EmailSendingAccount is DEVELOPER.',
    },
    {
      name: 'a From that is no address',
      input: { EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com', From: 'Wild Rydes' } },
      message: 'Provided From email address is invalid',
    },
    {
      name: 'a Reply-To that is no address',
      input: { EmailConfiguration: { ReplyToEmailAddress: 'help-desk' } },
      message: "1 validation error detected: Value 'help-desk' at 'emailConfiguration.replyToEmailAddress' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+@[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    },
  ];

  let poolId: string;
  beforeAll(async () => {
    ({ poolId } = await mailPool({ VerificationMessageTemplate: { EmailSubject: 'Kept subject', EmailMessage: 'Kept {####}' } }));
  });

  const poolCount = async () => (await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.length;

  for (const c of cases) {
    it(`refuses ${c.name}, on CreateUserPool and UpdateUserPool`, async () => {
      const pools = await poolCount();
      await expect(server.admin.send(new CreateUserPoolCommand({ PoolName: 'Refused', ...c.input }))).rejects.toMatchObject({
        name: 'InvalidParameterException', message: c.message,
      });
      expect(await poolCount()).toBe(pools);

      const before = await describePool(poolId);
      await expect(server.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, ...c.input }))).rejects.toMatchObject({
        name: 'InvalidParameterException', message: c.message,
      });
      expect(await describePool(poolId)).toEqual(before);
    });
  }

  it('keeps mailing with the pool’s template after the refusals', async () => {
    const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'after' }));
    const mail = await mailAfter('after-refusals@example.com', () => signUp(client.UserPoolClient!.ClientId!, 'after-refusals@example.com'));
    expect(mail.subject).toBe('Kept subject');
    expect(mail.text?.trim()).toBe(`Kept ${codeOf(mail)}`);
  });
});
