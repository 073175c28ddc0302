import {
  AdminConfirmSignUpCommand, AdminDeleteUserAttributesCommand, AdminDeleteUserCommand, AdminGetUserCommand, AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, DeleteUserAttributesCommand, GetUserAttributeVerificationCodeCommand,
  GetUserCommand, InitiateAuthCommand, ListUsersCommand, SetUserSettingsCommand, SignUpCommand, UpdateUserAttributesCommand,
  VerifyUserAttributeCommand, type AttributeType, type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The attribute operations through the AWS SDK v3: UpdateUserAttributes / AdminUpdateUserAttributes,
 * DeleteUserAttributes / AdminDeleteUserAttributes, GetUserAttributeVerificationCode,
 * VerifyUserAttribute and SetUserSettings. Sign-in by alias and the alias rules: sdk-aliases.test.ts.
 */
let server: TestServer;
let poolId: string;
let clientId: string;
let namedPoolId: string;
let namedClientId: string;

const PASSWORD = 'Attr-Ops-1';
const HOUR = 3600_000;
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'] as const;

beforeAll(async () => {
  server = await startTestServer();
  // An email-as-username pool that verifies email, and a username pool that verifies nothing (with a required name).
  ({ poolId, clientId } = await newPool({ UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
  ({ poolId: namedPoolId, clientId: namedClientId } = await newPool({ Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }] }));
});
afterAll(async () => server?.stop());

async function newPool(input: Partial<CreateUserPoolCommandInput> = {}) {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'attributes', ...input }));
  const id = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'web', ExplicitAuthFlows: [...FLOWS] }));
  return { poolId: id, clientId: client.UserPoolClient!.ClientId! };
}

/** The user's attributes as AdminGetUser shows them. */
async function attributesOf(username: string, UserPoolId = poolId): Promise<Record<string, string>> {
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId, Username: username }));
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
}

const signIn = async (username: string, ClientId = clientId) =>
  (await server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } })))
    .AuthenticationResult!.AccessToken!;

/** A confirmed user of the email pool, the email verified by its sign-up code; returns an access token. */
async function emailUser(email: string): Promise<string> {
  const before = server.smtp.messages.length;
  await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await server.smtp.codeFor(email, before) }));
  return signIn(email);
}

/** A confirmed user of the username pool (confirmed by an administrator, nothing verified). */
async function namedUser(username: string, attributes: AttributeType[] = []): Promise<string> {
  const UserAttributes = [{ Name: 'name', Value: username }, ...attributes];
  await server.sdk.send(new SignUpCommand({ ClientId: namedClientId, Username: username, Password: PASSWORD, UserAttributes }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: namedPoolId, Username: username }));
  return signIn(username, namedClientId);
}

/** Mail queued to this address (in the outbox, written in the transaction of the change). */
const queuedTo = async (address: string) => (await server.store.outbox.recent(500)).filter((m) => m.recipient === address).length;

const update = (AccessToken: string, UserAttributes: AttributeType[]) => server.sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes }));
const adminUpdate = (Username: string, UserAttributes: AttributeType[], UserPoolId = poolId) =>
  server.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username, UserAttributes }));
const verify = (AccessToken: string, Code: string, AttributeName = 'email') => server.sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName, Code }));
const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

describe('UpdateUserAttributes', () => {
  it('changes attributes; a new email turns unverified and is mailed a code that VerifyUserAttribute takes', async () => {
    const token = await emailUser('first@example.com');
    const sub = (await attributesOf('first@example.com')).sub;
    const before = server.smtp.messages.length;
    const out = await update(token, [{ Name: 'given_name', Value: 'Ann' }, { Name: 'email', Value: 'second@example.com' }]);
    expect(out.CodeDeliveryDetailsList).toEqual([{ Destination: 's***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    expect(await attributesOf('second@example.com')).toEqual({ sub, email: 'second@example.com', email_verified: 'false', given_name: 'Ann' });
    const code = await server.smtp.codeFor('second@example.com', before);

    await expect(verify(token, otherCode(code))).rejects.toMatchObject({
      name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.',
    });
    await verify(token, code);
    expect((await attributesOf('second@example.com')).email_verified).toBe('true');
    // Used up.
    await expect(verify(token, code)).rejects.toMatchObject({ name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
    const user = await server.sdk.send(new GetUserCommand({ AccessToken: token }));
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
  });

  it('sends nothing for the same email again, and accepts ClientMetadata', async () => {
    const token = await emailUser('same@example.com');
    const queued = await queuedTo('same@example.com');
    const out = await server.sdk.send(new UpdateUserAttributesCommand({
      AccessToken: token, UserAttributes: [{ Name: 'email', Value: 'same@example.com' }], ClientMetadata: { source: 'test' },
    }));
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    expect(await queuedTo('same@example.com')).toBe(queued);
    expect((await attributesOf('same@example.com')).email_verified).toBe('true');
  });

  it('in a pool that verifies nothing, a new email is unverified and no code goes out; an empty value deletes', async () => {
    const token = await namedUser('nemo', [{ Name: 'email', Value: 'nemo@example.com' }, { Name: 'family_name', Value: 'N' }]);
    const out = await update(token, [{ Name: 'email', Value: 'nemo2@example.com' }, { Name: 'family_name', Value: '' }]);
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    expect(await queuedTo('nemo2@example.com')).toBe(0);
    const attributes = await attributesOf('nemo', namedPoolId);
    expect(attributes).toMatchObject({ email: 'nemo2@example.com', email_verified: 'false', name: 'nemo' });
    expect(attributes.family_name).toBeUndefined();
  });

  it('refuses what the user may not write, bad values and a taken email, changing nothing', async () => {
    const token = await emailUser('careful@example.com');
    await emailUser('taken@example.com');
    const before = await attributesOf('careful@example.com');
    const refused: [AttributeType[], Record<string, unknown>][] = [
      [[{ Name: 'email_verified', Value: 'true' }], { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' }],
      [[{ Name: 'given_name', Value: 'x' }, { Name: 'custom:nope', Value: 'x' }], { name: 'InvalidParameterException', message: expect.stringContaining('custom:nope: Attribute does not exist in the schema.') }],
      [[{ Name: 'given_name', Value: 'x' }, { Name: 'email', Value: 'not-an-email' }], { name: 'InvalidParameterException', message: 'Invalid email address format.' }],
      [[{ Name: 'given_name', Value: 'x' }, { Name: 'phone_number', Value: '555-1234' }], { name: 'InvalidParameterException', message: 'Invalid phone number format.' }],
      [[{ Name: 'given_name', Value: 'x'.repeat(2049) }], { name: 'InvalidParameterException', message: expect.stringContaining('failed to satisfy constraint') }],
      [[{ Name: 'x'.repeat(33), Value: 'x' }], { name: 'InvalidParameterException', message: expect.stringContaining('Member must have length less than or equal to 32') }],
      [[{ Name: 'given_name', Value: 'x' }, { Name: 'email', Value: 'taken@example.com' }], { name: 'AliasExistsException', message: 'An account with the given email already exists.' }],
      [[{ Name: 'email', Value: '' }], { name: 'InvalidParameterException', message: expect.stringContaining('email: The attribute is required') }],
    ];
    for (const [UserAttributes, error] of refused) await expect(update(token, UserAttributes)).rejects.toMatchObject(error);
    await expect(server.sdk.send(new UpdateUserAttributesCommand({ AccessToken: token } as never))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("at 'userAttributes' failed to satisfy constraint: Member must not be null"),
    });
    await expect(server.sdk.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: 'given_name' as never }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(await attributesOf('careful@example.com')).toEqual(before);
    expect(await queuedTo('taken@example.com')).toBe(1);
  });

  it('answers a bad or revoked token with NotAuthorizedException and a deleted user with UserNotFoundException', async () => {
    await expect(update('not.a.token', [{ Name: 'name', Value: 'x' }])).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    const token = await emailUser('gone@example.com');
    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'gone@example.com' }));
    await expect(update(token, [{ Name: 'name', Value: 'x' }])).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });
});

describe('AdminUpdateUserAttributes', () => {
  it('changes the email and mails a code; with email_verified true it is verified at once and nothing is mailed', async () => {
    await emailUser('admin-a@example.com');
    const before = server.smtp.messages.length;
    const { $metadata: _, ...out } = await adminUpdate('admin-a@example.com', [{ Name: 'email', Value: 'admin-b@example.com' }, { Name: 'nickname', Value: 'B' }]);
    expect(out).toEqual({});
    expect(await attributesOf('admin-b@example.com')).toMatchObject({ email: 'admin-b@example.com', email_verified: 'false', nickname: 'B' });
    expect(await server.smtp.codeFor('admin-b@example.com', before)).toMatch(/^\d{6}$/);

    await adminUpdate('admin-b@example.com', [{ Name: 'email', Value: 'admin-c@example.com' }, { Name: 'email_verified', Value: 'true' }]);
    expect(await attributesOf('admin-c@example.com')).toMatchObject({ email: 'admin-c@example.com', email_verified: 'true' });
    expect(await queuedTo('admin-c@example.com')).toBe(0);
    // The flag alone, either way.
    await adminUpdate('admin-c@example.com', [{ Name: 'email_verified', Value: 'false' }]);
    expect((await attributesOf('admin-c@example.com')).email_verified).toBe('false');
    await adminUpdate('admin-c@example.com', [{ Name: 'email_verified', Value: 'true' }]);
    expect((await attributesOf('admin-c@example.com')).email_verified).toBe('true');
  });

  it('refuses an unknown pool or user, bad values and a taken email, changing nothing', async () => {
    await emailUser('admin-keep@example.com');
    await emailUser('admin-other@example.com');
    const before = await attributesOf('admin-keep@example.com');
    await expect(adminUpdate('admin-keep@example.com', [{ Name: 'name', Value: 'x' }], 'us-east-1_NoSuchPol')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPol does not exist.',
    });
    await expect(adminUpdate('ghost@example.com', [{ Name: 'name', Value: 'x' }])).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(adminUpdate('admin-keep@example.com', [{ Name: 'name', Value: 'x' }, { Name: 'sub', Value: 'mine' }])).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Cannot modify the non-mutable attribute sub',
    });
    await expect(adminUpdate('admin-keep@example.com', [{ Name: 'name', Value: 'x' }, { Name: 'email_verified', Value: 'maybe' }])).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining('email_verified'),
    });
    await expect(adminUpdate('admin-keep@example.com', [{ Name: 'name', Value: 'x' }, { Name: 'email', Value: 'admin-other@example.com' }])).rejects.toMatchObject({
      name: 'AliasExistsException', message: 'An account with the given email already exists.',
    });
    await expect(server.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'admin-keep@example.com' } as never))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("at 'userAttributes' failed to satisfy constraint"),
    });
    expect(await attributesOf('admin-keep@example.com')).toEqual(before);
  });
});

describe('DeleteUserAttributes / AdminDeleteUserAttributes', () => {
  it('delete attributes; deleting the email deletes its flag too', async () => {
    const token = await namedUser('deleter', [{ Name: 'email', Value: 'deleter@example.com' }, { Name: 'nickname', Value: 'D' }, { Name: 'locale', Value: 'fr' }]);
    await adminUpdate('deleter', [{ Name: 'email_verified', Value: 'true' }], namedPoolId);
    await server.sdk.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['nickname', 'email'] }));
    let attributes = await attributesOf('deleter', namedPoolId);
    expect(Object.keys(attributes).sort()).toEqual(['locale', 'name', 'sub']);
    // Deleting what is not there is no error.
    await server.admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: namedPoolId, Username: 'deleter', UserAttributeNames: ['locale', 'website'] }));
    attributes = await attributesOf('deleter', namedPoolId);
    expect(Object.keys(attributes).sort()).toEqual(['name', 'sub']);
  });

  it('refuse required, unknown, server-owned and malformed names, changing nothing', async () => {
    const token = await namedUser('keeper', [{ Name: 'email', Value: 'keeper@example.com' }]);
    const before = await attributesOf('keeper', namedPoolId);
    const del = (UserAttributeNames: string[]) => server.sdk.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames }));
    const adminDel = (UserAttributeNames: string[], UserPoolId = namedPoolId, Username = 'keeper') =>
      server.admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId, Username, UserAttributeNames }));
    await expect(del(['email', 'name'])).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('name: The attribute is required') });
    await expect(adminDel(['email', 'name'])).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('name: The attribute is required') });
    await expect(del(['email', 'custom:nope'])).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('custom:nope: Attribute does not exist in the schema.') });
    await expect(del(['email_verified'])).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
    await expect(adminDel(['sub'])).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Cannot modify the non-mutable attribute sub' });
    await expect(del(['x'.repeat(33)])).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('failed to satisfy constraint') });
    await expect(server.sdk.send(new DeleteUserAttributesCommand({ AccessToken: token } as never))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("at 'userAttributeNames' failed to satisfy constraint: Member must not be null"),
    });
    await expect(del(['email'])).resolves.toBeDefined();
    expect(await attributesOf('keeper', namedPoolId)).toEqual(Object.fromEntries(Object.entries(before).filter(([k]) => k !== 'email')));

    await expect(adminDel(['email'], 'us-east-1_NoSuchPol')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(adminDel(['email'], namedPoolId, 'nobody')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(server.sdk.send(new DeleteUserAttributesCommand({ AccessToken: 'x.y.z', UserAttributeNames: ['nickname'] }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Invalid Access Token',
    });
  });

  it('keeps the email of an email-as-username user (it is the sign-in name), and answers a deleted user', async () => {
    const token = await emailUser('sign-in-name@example.com');
    await expect(server.sdk.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['email'] }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining('email: The attribute is required'),
    });
    expect((await attributesOf('sign-in-name@example.com')).email).toBe('sign-in-name@example.com');
    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'sign-in-name@example.com' }));
    await expect(server.sdk.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['name'] }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
  });
});

describe('GetUserAttributeVerificationCode / VerifyUserAttribute', () => {
  const getCode = (AccessToken: string, AttributeName = 'email') =>
    server.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName, ClientMetadata: { from: 'test' } }));

  it('mails a code that verifies the email; a newer code replaces the older one', async () => {
    const token = await namedUser('verifier', [{ Name: 'email', Value: 'verifier@example.com' }]);
    let before = server.smtp.messages.length;
    const out = await getCode(token);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'v***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const first = await server.smtp.codeFor('verifier@example.com', before);
    before = server.smtp.messages.length;
    await getCode(token);
    const second = await server.smtp.codeFor('verifier@example.com', before);
    if (first !== second) await expect(verify(token, first)).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await verify(token, second);
    expect((await attributesOf('verifier', namedPoolId)).email_verified).toBe('true');
  });

  it('refuses attributes that cannot be verified, a user without email, and a bad token', async () => {
    const token = await namedUser('no-mail');
    await expect(getCode(token, 'name')).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid attribute name. Only phone_number and email can be verified.' });
    await expect(getCode(token, 'phone_number')).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'User pool does not have SMS configuration to send messages.' });
    await expect(getCode(token)).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'The user has no email attribute to verify.' });
    await expect(getCode('bad-token')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(server.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token } as never))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining("at 'attributeName' failed to satisfy constraint"),
    });
    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: namedPoolId, Username: 'no-mail' }));
    await expect(getCode(token)).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it('VerifyUserAttribute counts wrong codes (LimitExceededException after five), and codes expire after 24 hours', async () => {
    const token = await namedUser('guesser', [{ Name: 'email', Value: 'guesser@example.com' }]);
    let before = server.smtp.messages.length;
    await getCode(token);
    const code = await server.smtp.codeFor('guesser@example.com', before);
    for (let i = 0; i < 5; i++) await expect(verify(token, otherCode(code))).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await expect(verify(token, code)).rejects.toMatchObject({ name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
    expect((await attributesOf('guesser', namedPoolId)).email_verified).toBeUndefined();

    before = server.smtp.messages.length;
    await getCode(token);
    const fresh = await server.smtp.codeFor('guesser@example.com', before);
    server.advance(25 * HOUR);
    try {
      const later = await signIn('guesser', namedClientId);
      await expect(verify(later, fresh)).rejects.toMatchObject({ name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
      // The old token has expired meanwhile.
      await expect(verify(token, fresh)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has expired' });
    } finally {
      server.advance(-25 * HOUR);
    }
  });

  it('refuses names it cannot verify, malformed codes, a phone number (never sent a code) and a deleted user', async () => {
    const token = await namedUser('odd', [{ Name: 'email', Value: 'odd@example.com' }]);
    await expect(verify(token, '123456', 'name')).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid attribute name. Only phone_number and email can be verified.' });
    await expect(verify(token, '')).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining("at 'code' failed to satisfy constraint") });
    await expect(verify(token, '123456', 'phone_number')).rejects.toMatchObject({ name: 'ExpiredCodeException' });
    await expect(verify(token, '123456')).rejects.toMatchObject({ name: 'ExpiredCodeException' });
    expect((await attributesOf('odd', namedPoolId)).email_verified).toBeUndefined();
    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: namedPoolId, Username: 'odd' }));
    await expect(verify(token, '123456')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await expect(verify('bad-token', '123456')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe('SetUserSettings', () => {
  it('stores SMS to phone_number (shown by AdminGetUser and ListUsers) and clears it with an empty list', async () => {
    const token = await namedUser('settings', [{ Name: 'phone_number', Value: '+15550100' }]);
    await server.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }));
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: namedPoolId, Username: 'settings' }));
    expect(user.MFAOptions).toEqual([{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
    const listed = await server.admin.send(new ListUsersCommand({ UserPoolId: namedPoolId, Filter: 'username = "settings"' }));
    expect(listed.Users?.[0]?.MFAOptions).toEqual([{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: token }))).MFAOptions).toEqual([{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);

    await server.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: [] }));
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: namedPoolId, Username: 'settings' }))).MFAOptions).toBeUndefined();
  });

  it('refuses other options, missing or malformed input, a bad token and a deleted user, changing nothing', async () => {
    const token = await namedUser('unsettled');
    const set = (MFAOptions: unknown) => server.sdk.send(new SetUserSettingsCommand({ AccessToken: token, MFAOptions: MFAOptions as never }));
    await expect(set([{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }])).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Only the SMS delivery medium to phone_number can be set in MFAOptions.',
    });
    await expect(set([{ DeliveryMedium: 'PIGEON', AttributeName: 'phone_number' }])).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining('Member must satisfy enum value set'),
    });
    await expect(set(undefined)).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining("at 'mFAOptions' failed to satisfy constraint") });
    await expect(set('SMS')).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: namedPoolId, Username: 'unsettled' }))).MFAOptions).toBeUndefined();
    await expect(server.sdk.send(new SetUserSettingsCommand({ AccessToken: 'bad', MFAOptions: [] }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: namedPoolId, Username: 'unsettled' }));
    await expect(set([])).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});
