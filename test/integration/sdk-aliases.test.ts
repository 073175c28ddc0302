import {
  AdminConfirmSignUpCommand, AdminCreateUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand, AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, DeleteUserAttributesCommand, DescribeUserPoolCommand,
  ForgotPasswordCommand, GetUserAttributeVerificationCodeCommand, GetUserCommand, InitiateAuthCommand, ListUserPoolsCommand, ListUsersCommand,
  RespondToAuthChallengeCommand, SignUpCommand, UpdateUserAttributesCommand, UpdateUserPoolCommand, VerifyUserAttributeCommand,
  type AttributeType, type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Sign-in identifiers through the AWS SDK v3: verified email / phone aliases, preferred_username,
 * email or phone number as the username, AliasExistsException and ForceAliasCreation, case folding,
 * and UserAttributeUpdateSettings (the old value signs in until the new one is verified).
 */
let server: TestServer;
const PASSWORD = 'Alias-Rides-1';

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

interface TestPool {
  poolId: string;
  clientId: string;
}

async function newPool(input: Partial<CreateUserPoolCommandInput>): Promise<TestPool> {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'aliases', UsernameConfiguration: { CaseSensitive: false }, ...input }));
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'web', PreventUserExistenceErrors: 'LEGACY',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}

const tokens = async (p: TestPool, USERNAME: string) =>
  (await server.sdk.send(new InitiateAuthCommand({ ClientId: p.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } })))
    .AuthenticationResult!;
/** The internal username a typed name signs in (USER_PASSWORD_AUTH). */
const signsIn = async (p: TestPool, typed: string) => {
  const { AccessToken } = await tokens(p, typed);
  return JSON.parse(Buffer.from(AccessToken!.split('.')[1]!, 'base64url').toString('utf8')).username as string;
};
const attributesOf = async (p: TestPool, Username: string) =>
  Object.fromEntries(((await server.admin.send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username }))).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));

/** Signs up and confirms with the mailed code (which verifies the email when the pool verifies email). */
async function confirmedUser(p: TestPool, Username: string, UserAttributes: AttributeType[] = []): Promise<string> {
  const email = UserAttributes.find((a) => a.Name === 'email')?.Value;
  const before = server.smtp.messages.length;
  const { UserSub } = await server.sdk.send(new SignUpCommand({ ClientId: p.clientId, Username, Password: PASSWORD, UserAttributes }));
  if (email) {
    await server.sdk.send(new ConfirmSignUpCommand({ ClientId: p.clientId, Username, ConfirmationCode: await server.smtp.codeFor(email, before) }));
  } else {
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: p.poolId, Username }));
  }
  return UserSub!;
}

const update = async (p: TestPool, username: string, UserAttributes: AttributeType[]) =>
  server.sdk.send(new UpdateUserAttributesCommand({ AccessToken: (await tokens(p, username)).AccessToken, UserAttributes }));
const adminUpdate = (p: TestPool, Username: string, UserAttributes: AttributeType[]) =>
  server.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: p.poolId, Username, UserAttributes }));
const email = (Value: string): AttributeType[] => [{ Name: 'email', Value }];
const NOT_FOUND = { name: 'UserNotFoundException', message: 'User does not exist.' };

/** The user that a typed name signs in with SRP, computed as the official clients do. */
async function srpSignIn(p: TestPool, typed: string): Promise<string> {
  const client = srpClient();
  const out = await server.sdk.send(new InitiateAuthCommand({ ClientId: p.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: typed, SRP_A: client.srpA } }));
  const challenge = out.ChallengeParameters as PasswordVerifierChallenge;
  const answer = await server.sdk.send(new RespondToAuthChallengeCommand({
    ClientId: p.clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: passwordClaim(client, p.poolId, PASSWORD, challenge),
  }));
  expect(answer.AuthenticationResult?.AccessToken).toBeDefined();
  return challenge.USER_ID_FOR_SRP!;
}

describe('an email-alias pool', () => {
  let pool: TestPool;
  beforeAll(async () => {
    pool = await newPool({ AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    await confirmedUser(pool, 'alice', email('alice@example.com'));
  });

  it('refuses an email-shaped username; the verified email signs in, in any case, with every flow', async () => {
    await expect(server.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'bob@example.com', Password: PASSWORD }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Username cannot be of email format, since user pool is configured for email alias.',
    });
    expect(await signsIn(pool, 'ALICE@Example.com')).toBe('alice');
    expect(await signsIn(pool, 'Alice')).toBe('alice');
    expect(await srpSignIn(pool, 'alice@example.com')).toBe('alice');
    const admin = await server.admin.send(new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId, ClientId: pool.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice@example.com', PASSWORD },
    }));
    expect(admin.AuthenticationResult?.IdToken).toBeDefined();
    const forgot = await server.sdk.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: 'alice@example.com' }));
    expect(forgot.CodeDeliveryDetails).toEqual({ Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'Alice@example.com' }))).Username).toBe('alice');
  });

  it('an unverified email does not sign in: a changed email frees the old one until the new one is verified', async () => {
    await confirmedUser(pool, 'mover', email('mover@example.com'));
    const { AccessToken } = await tokens(pool, 'mover@example.com');
    const before = server.smtp.messages.length;
    await server.sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: email('moved@example.com') }));
    await expect(signsIn(pool, 'mover@example.com')).rejects.toMatchObject(NOT_FOUND);
    await expect(signsIn(pool, 'moved@example.com')).rejects.toMatchObject(NOT_FOUND);
    await server.sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: await server.smtp.codeFor('moved@example.com', before) }));
    expect(await signsIn(pool, 'moved@example.com')).toBe('mover');
    // Deleting the email releases its alias.
    await server.sdk.send(new DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ['email'] }));
    await expect(signsIn(pool, 'moved@example.com')).rejects.toMatchObject(NOT_FOUND);
    expect(await signsIn(pool, 'mover')).toBe('mover');
  });

  it('VerifyUserAttribute refuses an email another user holds; an administrator may take it for another user', async () => {
    await confirmedUser(pool, 'holder', email('shared@example.com'));
    await confirmedUser(pool, 'taker', email('taker@example.com'));
    const { AccessToken } = await tokens(pool, 'taker');
    const before = server.smtp.messages.length;
    // Unverified duplicates are allowed.
    await server.sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: email('Shared@example.com') }));
    const code = await server.smtp.codeFor('shared@example.com', before);
    await expect(server.sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code }))).rejects.toMatchObject({
      name: 'AliasExistsException', message: 'An account with the email already exists.',
    });
    expect(await attributesOf(pool, 'taker')).toMatchObject({ email: 'Shared@example.com', email_verified: 'false' });
    expect(await signsIn(pool, 'shared@example.com')).toBe('holder');

    await adminUpdate(pool, 'taker', [{ Name: 'email_verified', Value: 'true' }]);
    expect(await signsIn(pool, 'shared@example.com')).toBe('taker');
    expect(await attributesOf(pool, 'holder')).toMatchObject({ email: 'shared@example.com', email_verified: 'false' });
  });

  it('AdminCreateUser: a verified email that another user holds is refused unless ForceAliasCreation', async () => {
    await confirmedUser(pool, 'owner', email('owned@example.com'));
    const create = (Username: string, ForceAliasCreation?: boolean) => server.admin.send(new AdminCreateUserCommand({
      UserPoolId: pool.poolId, Username, MessageAction: 'SUPPRESS', TemporaryPassword: PASSWORD, ForceAliasCreation,
      UserAttributes: [...email('owned@example.com'), { Name: 'email_verified', Value: 'true' }],
    }));
    await expect(create('newcomer')).rejects.toMatchObject({ name: 'UsernameExistsException', message: 'An account with the given email already exists.' });
    await expect(server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'newcomer' }))).rejects.toMatchObject(NOT_FOUND);
    await create('newcomer', true);
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'owned@example.com' }))).Username).toBe('newcomer');
    expect((await attributesOf(pool, 'owner')).email_verified).toBe('false');
  });
});

describe('AttributesRequireVerificationBeforeUpdate: the old value stays until the new one is verified', () => {
  let pool: TestPool;
  beforeAll(async () => {
    pool = await newPool({
      AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
  });

  it('keeps the old email in effect and signing in, hides the new one, and mails codes to the new one', async () => {
    await confirmedUser(pool, 'keeper', email('old@example.com'));
    const { AccessToken } = await tokens(pool, 'keeper');
    let before = server.smtp.messages.length;
    const out = await server.sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [...email('new@example.com'), { Name: 'nickname', Value: 'K' }] }));
    expect(out.CodeDeliveryDetailsList).toEqual([{ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    await server.smtp.codeFor('new@example.com', before);
    expect(await attributesOf(pool, 'keeper')).toMatchObject({ email: 'old@example.com', email_verified: 'true', nickname: 'K' });
    expect(await signsIn(pool, 'old@example.com')).toBe('keeper');
    await expect(signsIn(pool, 'new@example.com')).rejects.toMatchObject(NOT_FOUND);
    // Nowhere to be seen: GetUser, ListUsers, the ID token.
    const seen = JSON.stringify([
      await server.sdk.send(new GetUserCommand({ AccessToken })),
      await server.admin.send(new ListUsersCommand({ UserPoolId: pool.poolId })),
      (await tokens(pool, 'keeper')).IdToken!.split('.').slice(0, 2).map((part) => Buffer.from(part, 'base64url').toString('utf8')),
    ]);
    expect(seen).toContain('old@example.com');
    expect(seen).not.toContain('new@example.com');

    before = server.smtp.messages.length;
    const again = await server.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }));
    expect(again.CodeDeliveryDetails?.Destination).toBe('n***@e***');
    const code = await server.smtp.codeFor('new@example.com', before);
    await server.sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code }));
    expect(await attributesOf(pool, 'keeper')).toMatchObject({ email: 'new@example.com', email_verified: 'true' });
    expect(await signsIn(pool, 'new@example.com')).toBe('keeper');
    await expect(signsIn(pool, 'old@example.com')).rejects.toMatchObject(NOT_FOUND);
  });

  it('an administrator’s email_verified true puts a pending email in effect; setting the same email again cancels it', async () => {
    await confirmedUser(pool, 'pending', email('p1@example.com'));
    await update(pool, 'pending', email('p2@example.com'));
    await adminUpdate(pool, 'pending', [{ Name: 'email_verified', Value: 'true' }]);
    expect(await attributesOf(pool, 'pending')).toMatchObject({ email: 'p2@example.com', email_verified: 'true' });
    expect(await signsIn(pool, 'p2@example.com')).toBe('pending');

    await update(pool, 'pending', email('p3@example.com'));
    await update(pool, 'pending', email('p2@example.com'));
    await adminUpdate(pool, 'pending', [{ Name: 'email_verified', Value: 'true' }]);
    expect((await attributesOf(pool, 'pending')).email).toBe('p2@example.com');
  });

  it('in an email-as-username pool, a new email that another user signs in with is refused at once', async () => {
    const named = await newPool({
      UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    const sub = await confirmedUser(named, 'one@example.com', email('one@example.com'));
    await confirmedUser(named, 'two@example.com', email('two@example.com'));
    await expect(update(named, 'one@example.com', email('TWO@example.com'))).rejects.toMatchObject({
      name: 'AliasExistsException', message: 'An account with the given email already exists.',
    });
    await update(named, 'one@example.com', email('uno@example.com'));
    expect(await signsIn(named, 'one@example.com')).toBe(sub);
    await expect(signsIn(named, 'uno@example.com')).rejects.toMatchObject(NOT_FOUND);
  });
});

describe('preferred_username as an alias', () => {
  let pool: TestPool;
  beforeAll(async () => {
    pool = await newPool({ AliasAttributes: ['email', 'preferred_username'], AutoVerifiedAttributes: ['email'] });
  });

  it('cannot be given before confirmation', async () => {
    const early: AttributeType[] = [{ Name: 'preferred_username', Value: 'early' }];
    const message = 'Preferred username cannot be provided for unconfirmed account, since user pool is configured for preferred username alias.';
    await expect(server.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'early', Password: PASSWORD, UserAttributes: early }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message,
    });
    await expect(server.admin.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'early', UserAttributes: early }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message,
    });
    await server.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'waiting', Password: PASSWORD }));
    await expect(adminUpdate(pool, 'waiting', early)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
  });

  it('signs in (folded in case) once set, is unique, is not email-shaped, and is freed when deleted', async () => {
    await confirmedUser(pool, 'rider');
    await confirmedUser(pool, 'other');
    await update(pool, 'rider', [{ Name: 'preferred_username', Value: 'Speedy' }]);
    expect(await signsIn(pool, 'speedy')).toBe('rider');
    expect(await srpSignIn(pool, 'SPEEDY')).toBe('rider');
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'Speedy' }))).Username).toBe('rider');

    await expect(update(pool, 'other', [{ Name: 'preferred_username', Value: 'speedy' }])).rejects.toMatchObject({
      name: 'AliasExistsException', message: 'An account with the given preferred_username already exists.',
    });
    await expect(adminUpdate(pool, 'other', [{ Name: 'preferred_username', Value: 'SPEEDY' }])).rejects.toMatchObject({
      name: 'AliasExistsException', message: 'An account with the given preferred_username already exists.',
    });
    await expect(update(pool, 'other', [{ Name: 'preferred_username', Value: 'other@example.com' }])).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Preferred username cannot be of email format, since user pool is configured for email alias.',
    });
    expect((await attributesOf(pool, 'other')).preferred_username).toBeUndefined();

    const { AccessToken } = await tokens(pool, 'rider');
    await server.sdk.send(new DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ['preferred_username'] }));
    await expect(signsIn(pool, 'speedy')).rejects.toMatchObject(NOT_FOUND);
    await update(pool, 'other', [{ Name: 'preferred_username', Value: 'speedy' }]);
    expect(await signsIn(pool, 'Speedy')).toBe('other');
  });
});

describe('phone numbers', () => {
  it('as an alias: a phone-shaped username is refused; a verified phone number signs in, an unverified one does not', async () => {
    const pool = await newPool({ AliasAttributes: ['phone_number'] });
    await expect(server.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: '+15550001', Password: PASSWORD }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Username cannot be of phone number format, since user pool is configured for phone number alias.',
    });
    await confirmedUser(pool, 'caller', [{ Name: 'phone_number', Value: '+15550002' }]);
    await expect(signsIn(pool, '+15550002')).rejects.toMatchObject(NOT_FOUND);
    await adminUpdate(pool, 'caller', [{ Name: 'phone_number_verified', Value: 'true' }]);
    expect(await signsIn(pool, '+15550002')).toBe('caller');
    // A new number is unverified (and gets no SMS): it does not sign in, nor does the old one.
    const out = await update(pool, 'caller', [{ Name: 'phone_number', Value: '+15550003' }]);
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    expect(await attributesOf(pool, 'caller')).toMatchObject({ phone_number: '+15550003', phone_number_verified: 'false' });
    await expect(signsIn(pool, '+15550002')).rejects.toMatchObject(NOT_FOUND);
    await expect(signsIn(pool, '+15550003')).rejects.toMatchObject(NOT_FOUND);
  });

  it('as the username: the number signs in, is unique, and must look like a phone number', async () => {
    const pool = await newPool({ UsernameAttributes: ['phone_number'] });
    const { UserSub } = await server.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: '+15551234567', Password: PASSWORD }));
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: '+15551234567' }));
    expect(user.Username).toBe(UserSub);
    expect(user.UserAttributes).toContainEqual({ Name: 'phone_number', Value: '+15551234567' });
    await expect(server.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: '+15551234567', Password: PASSWORD }))).rejects.toMatchObject({
      name: 'UsernameExistsException', message: 'An account with the given phone_number already exists.',
    });
    await expect(server.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'bob', Password: PASSWORD }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Username should be a phone number.',
    });
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: '+15551234567' }));
    expect(await signsIn(pool, '+15551234567')).toBe(UserSub);
    expect(await srpSignIn(pool, '+15551234567')).toBe(UserSub);
  });

  it('with email and phone number as usernames, either signs in and both are unique', async () => {
    const pool = await newPool({ UsernameAttributes: ['email', 'phone_number'] });
    await expect(server.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'bob', Password: PASSWORD }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Username should be either an email or a phone number.',
    });
    const { UserSub } = await server.sdk.send(new SignUpCommand({
      ClientId: pool.clientId, Username: '+15557654321', Password: PASSWORD, UserAttributes: email('both@example.com'),
    }));
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: '+15557654321' }));
    expect(await signsIn(pool, 'Both@example.com')).toBe(UserSub);
    expect(await signsIn(pool, '+15557654321')).toBe(UserSub);
    await expect(server.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'both@example.com', Password: PASSWORD }))).rejects.toMatchObject({
      name: 'UsernameExistsException', message: 'An account with the given email already exists.',
    });
  });
});

describe('UserAttributeUpdateSettings on the pool', () => {
  it('is returned (empty by default), must name auto-verified attributes only, and resets when UpdateUserPool leaves it out', async () => {
    const plain = await newPool({});
    const describe = async (UserPoolId: string) => (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!;
    expect((await describe(plain.poolId)).UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: [] });

    const count = async () => (await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.length;
    const pools = await count();
    const message = 'All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes';
    await expect(server.admin.send(new CreateUserPoolCommand({
      PoolName: 'bad', UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    }))).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    await expect(server.admin.send(new CreateUserPoolCommand({
      PoolName: 'bad', UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['fax' as never] },
    }))).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('failed to satisfy constraint') });
    expect(await count()).toBe(pools);

    const keeping = await newPool({ AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    expect((await describe(keeping.poolId)).UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
    await expect(server.admin.send(new UpdateUserPoolCommand({
      UserPoolId: keeping.poolId, UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    }))).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    expect((await describe(keeping.poolId)).UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
    await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: keeping.poolId, AutoVerifiedAttributes: ['email'] }));
    expect((await describe(keeping.poolId)).UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: [] });
  });
});
