import {
  AdminGetUserCommand, ConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, ResendConfirmationCodeCommand, SignUpCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/** SignUp, ConfirmSignUp and ResendConfirmationCode through the AWS SDK v3. */
let server: TestServer;
let poolId: string;
let clientId: string;
/** The workshop pool's client with PreventUserExistenceErrors ENABLED. */
let quietClientId: string;

const PASSWORD = 'Sign-up-1';
const WRONG_CODE = (code: string) => (code === '000000' ? '111111' : '000000');

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server, { PreventUserExistenceErrors: 'LEGACY' }));
  const quiet = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'quiet', PreventUserExistenceErrors: 'ENABLED' }));
  quietClientId = quiet.UserPoolClient!.ClientId!;
});
afterAll(async () => server?.stop());

const signUp = (Username: string, Password: string = PASSWORD, UserAttributes?: AttributeType[], ClientId = clientId) =>
  server.sdk.send(new SignUpCommand({ ClientId, Username, Password, UserAttributes }));
const confirm = (Username: string, ConfirmationCode: string, ClientId = clientId) =>
  server.sdk.send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode }));
const status = async (Username: string, UserPoolId = poolId) =>
  (await server.admin.send(new AdminGetUserCommand({ UserPoolId, Username }))).UserStatus;

/** The code of the next mail to `to` sent after `after` messages in the sink. */
const nextCode = (to: string, after: number) => server.smtp.codeFor(to, after);

describe('SignUp', () => {
  it('creates an UNCONFIRMED user and mails a code to the masked address', async () => {
    const out = await signUp('fixture@example.com');
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'f***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await nextCode('fixture@example.com', 0)).toMatch(/^\d{6}$/);
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'fixture@example.com' }));
    expect(user.UserStatus).toBe('UNCONFIRMED');
    expect(user.Username).toBe(out.UserSub);
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: 'fixture@example.com' }, { Name: 'sub', Value: out.UserSub }]));
  });

  it('refuses an email that is already registered (also in another case)', async () => {
    await signUp('taken@example.com');
    await expect(signUp('taken@example.com')).rejects.toMatchObject({
      name: 'UsernameExistsException', message: 'An account with the given email already exists.',
    });
    await expect(signUp('TAKEN@example.com')).rejects.toMatchObject({ name: 'UsernameExistsException' });
  });

  it('refuses a taken name in a plain username pool with “User already exists”', async () => {
    const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'plain' }));
    const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.UserPool!.Id, ClientName: 'c' }));
    const id = client.UserPoolClient!.ClientId!;
    const first = await signUp('someone', PASSWORD, [], id);
    expect(first.CodeDeliveryDetails).toBeUndefined();
    await expect(signUp('someone', PASSWORD, [], id)).rejects.toMatchObject({ name: 'UsernameExistsException', message: 'User already exists' });
  });

  it('enforces the password policy, first broken rule first', async () => {
    const cases: [string, string][] = [
      ['Ab1-', 'Password not long enough'],
      ['lowercase-1', 'Password must have uppercase characters'],
      ['UPPERCASE-1', 'Password must have lowercase characters'],
      ['No-Numbers', 'Password must have numeric characters'],
      ['NoSymbols1', 'Password must have symbol characters'],
    ];
    for (const [password, rule] of cases) {
      await expect(signUp('weak@example.com', password)).rejects.toMatchObject({
        name: 'InvalidPasswordException', message: `Password did not conform with policy: ${rule}`,
      });
    }
    // Nothing was created by the refused attempts.
    await expect(status('weak@example.com')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await signUp('weak@example.com', 'Strong-enough-1');
  });

  it('requires an email as username in an email-username pool', async () => {
    await expect(signUp('not-an-email')).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Username should be an email.' });
  });

  it('checks attributes against the schema', async () => {
    await expect(signUp('attrs@example.com', PASSWORD, [{ Name: 'custom:nope', Value: 'x' }])).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringMatching(/^Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema\./),
    });
    await expect(signUp('attrs@example.com', PASSWORD, [{ Name: 'email_verified', Value: 'true' }])).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute',
    });

    const pool = await server.admin.send(new CreateUserPoolCommand({
      PoolName: 'required-name', Schema: [{ Name: 'name', Required: true }, { Name: 'email', Required: true }],
    }));
    const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.UserPool!.Id, ClientName: 'c' }));
    const id = client.UserPoolClient!.ClientId!;
    await expect(signUp('noname', PASSWORD, [{ Name: 'email', Value: 'n@example.com' }], id)).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: name: The attribute is required\n',
    });
    await expect(signUp('bademail', PASSWORD, [{ Name: 'name', Value: 'N' }, { Name: 'email', Value: 'not an email' }], id)).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid email address format.',
    });
    const ok = await signUp('named', PASSWORD, [{ Name: 'name', Value: 'N' }, { Name: 'email', Value: 'n@example.com' }], id);
    expect(ok.UserConfirmed).toBe(false);
  });

  it('refuses self sign-up when only administrators may create users', async () => {
    const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'admin-only', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } }));
    const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.UserPool!.Id, ClientName: 'c' }));
    await expect(signUp('someone', PASSWORD, [], client.UserPoolClient!.ClientId!)).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'SignUp is not permitted for this user pool',
    });
  });

  it('answers an unknown client with ResourceNotFoundException, and a missing password with InvalidParameterException', async () => {
    await expect(signUp('x@example.com', PASSWORD, [], 'nosuchclient0000000000000')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.',
    });
    await expect(server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'x@example.com' }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    });
    await expect(status('x@example.com')).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});

describe('ConfirmSignUp', () => {
  it('refuses a wrong code, then confirms with the mailed one and verifies the email', async () => {
    const email = 'confirm@example.com';
    const before = server.smtp.messages.length;
    await signUp(email);
    const code = await nextCode(email, before);
    await expect(confirm(email, WRONG_CODE(code))).rejects.toMatchObject({
      name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.',
    });
    expect(await status(email)).toBe('UNCONFIRMED');
    await confirm(email, code);
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });

    await expect(confirm(email, code)).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });

  it('refuses a code that is more than 24 hours old', async () => {
    const email = 'late@example.com';
    const before = server.smtp.messages.length;
    await signUp(email);
    const code = await nextCode(email, before);
    server.advance(25 * 3600_000);
    try {
      await expect(confirm(email, code)).rejects.toMatchObject({
        name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.',
      });
    } finally {
      server.advance(-25 * 3600_000);
    }
    expect(await status(email)).toBe('UNCONFIRMED');
  });

  it('tells a LEGACY client that the user does not exist, and an ENABLED client only that the code is wrong', async () => {
    await expect(confirm('ghost@example.com', '123456')).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'Username/client id combination not found.',
    });
    await expect(confirm('ghost@example.com', '123456', quietClientId)).rejects.toMatchObject({ name: 'CodeMismatchException' });
  });

  it('gives up on a code after 5 wrong attempts, even for the right code; a new code works', async () => {
    const email = 'guesser@example.com';
    let before = server.smtp.messages.length;
    await signUp(email);
    const code = await nextCode(email, before);
    for (let i = 0; i < 5; i++) {
      await expect(confirm(email, WRONG_CODE(code))).rejects.toMatchObject({ name: 'CodeMismatchException' });
    }
    await expect(confirm(email, WRONG_CODE(code))).rejects.toMatchObject({
      name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.',
    });
    await expect(confirm(email, code)).rejects.toMatchObject({ name: 'LimitExceededException' });
    expect(await status(email)).toBe('UNCONFIRMED');

    before = server.smtp.messages.length;
    await server.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email }));
    await confirm(email, await nextCode(email, before));
    expect(await status(email)).toBe('CONFIRMED');
  });

  it('refuses a malformed code with a validation error, and an unknown client', async () => {
    await expect(confirm('confirm@example.com', '')).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("'confirmationCode' failed to satisfy constraint"),
    });
    await expect(confirm('confirm@example.com', '123456', 'nosuchclient0000000000000')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.',
    });
  });

  it('in an email-alias pool, refuses to confirm a second owner of a verified email unless forced', async () => {
    const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'alias', AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
    const aliasPoolId = pool.UserPool!.Id!;
    const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: aliasPoolId, ClientName: 'c' }));
    const id = client.UserPoolClient!.ClientId!;
    const email = 'shared@example.com';
    let before = server.smtp.messages.length;
    await signUp('first', PASSWORD, [{ Name: 'email', Value: email }], id);
    const firstCode = await nextCode(email, before);
    before = server.smtp.messages.length;
    await signUp('second', PASSWORD, [{ Name: 'email', Value: email }], id);
    const secondCode = await nextCode(email, before);

    await confirm('first', firstCode, id);
    await expect(confirm('second', secondCode, id)).rejects.toMatchObject({
      name: 'AliasExistsException', message: 'An account with the email already exists.',
    });
    expect(await status('second', aliasPoolId)).toBe('UNCONFIRMED');
    await server.sdk.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'second', ConfirmationCode: secondCode, ForceAliasCreation: true }));
    expect(await status('second', aliasPoolId)).toBe('CONFIRMED');
    const first = await server.admin.send(new AdminGetUserCommand({ UserPoolId: aliasPoolId, Username: 'first' }));
    expect(first.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'false' });
    // The verified email now signs the second user in.
    const byEmail = await server.admin.send(new AdminGetUserCommand({ UserPoolId: aliasPoolId, Username: email }));
    expect(byEmail.Username).toBe('second');
  });
});

describe('ResendConfirmationCode', () => {
  it('mails a new code: the new one confirms, the old one no longer does', async () => {
    const email = 'resend@example.com';
    let before = server.smtp.messages.length;
    await signUp(email);
    const oldCode = await nextCode(email, before);
    let newCode = oldCode;
    // A fresh code may, once in a million, repeat the old one: ask again then.
    for (let i = 0; i < 3 && newCode === oldCode; i++) {
      before = server.smtp.messages.length;
      const out = await server.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email }));
      expect(out.CodeDeliveryDetails).toEqual({ Destination: 'r***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      newCode = await nextCode(email, before);
    }
    expect(newCode).not.toBe(oldCode);
    await expect(confirm(email, oldCode)).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await confirm(email, newCode);
    expect(await status(email)).toBe('CONFIRMED');

    await expect(server.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'User is already confirmed.',
    });
  });

  it('tells a LEGACY client that the user does not exist; an ENABLED client gets a simulated delivery', async () => {
    await expect(server.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'ghost@example.com' }))).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'Username/client id combination not found.',
    });
    const before = server.smtp.messages.length;
    const out = await server.sdk.send(new ResendConfirmationCodeCommand({ ClientId: quietClientId, Username: 'ghost@example.com' }));
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await new Promise((r) => setTimeout(r, 300));
    expect(server.smtp.messages.length).toBe(before);
  });

  it('answers an unknown client with ResourceNotFoundException', async () => {
    await expect(server.sdk.send(new ResendConfirmationCodeCommand({ ClientId: 'nosuchclient0000000000000', Username: 'x@example.com' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.',
    });
  });

  it('refuses to resend in a pool that does not verify email automatically, and mails nothing', async () => {
    const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'NoAutoVerify', UsernameAttributes: ['email'] }));
    const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.UserPool!.Id!, ClientName: 'web' }));
    const ClientId = client.UserPoolClient!.ClientId!;
    const before = server.smtp.messages.length;
    const out = await signUp('noverify@example.com', PASSWORD, undefined, ClientId);
    expect(out.CodeDeliveryDetails).toBeUndefined();
    await expect(server.sdk.send(new ResendConfirmationCodeCommand({ ClientId, Username: 'noverify@example.com' }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Cannot resend codes. Auto verification not turned on.',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(server.smtp.messages.length).toBe(before);
  });
});
