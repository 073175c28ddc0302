import {
  AdminGetUserCommand, ConfirmSignUpCommand, GetUserCommand, GlobalSignOutCommand, InitiateAuthCommand, ListUsersCommand, RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-database.js';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/** The real server on PostgreSQL, driven through the AWS SDK like any app: the same flows as on SQLite. */
const PASSWORD = 'Postgres-Rides-1';
let database: TestDatabase;
let server: TestServer;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer({ databaseUrl: database.url });
  ({ poolId, clientId } = await createWorkshopPool(server));
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function srpSignIn(email: string, password: string) {
  const client = srpClient();
  const started = await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: client.srpA } }));
  expect(started.ChallengeName).toBe('PASSWORD_VERIFIER');
  const challenge = started.ChallengeParameters as PasswordVerifierChallenge;
  const answered = await server.sdk.send(
    new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: passwordClaim(client, poolId, password, challenge) }),
  );
  return answered.AuthenticationResult!;
}

describe('the server on PostgreSQL', () => {
  it('runs on the PostgreSQL store', () => {
    expect(server.store.backend).toBe('postgres');
  });

  it('SignUp → ConfirmSignUp with the mailed code → SRP sign-in → refresh → GlobalSignOut', async () => {
    const email = 'pg-rider@example.com';
    const signedUp = await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
    expect(signedUp.UserConfirmed).toBe(false);
    expect(signedUp.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');

    const code = await server.smtp.codeFor(email);
    await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
    const confirmed = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(confirmed.UserStatus).toBe('CONFIRMED');
    expect(confirmed.UserCreateDate).toBeInstanceOf(Date);
    expect(Math.abs(confirmed.UserCreateDate!.getTime() - Date.now())).toBeLessThan(60_000);

    const tokens = await srpSignIn(email, PASSWORD);
    expect(tokens.AccessToken).toBeDefined();
    const me = await server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
    expect(me.UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe(email);
    expect(me.Username).toBe(signedUp.UserSub);

    const refreshed = await server.sdk.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }),
    );
    const access = refreshed.AuthenticationResult!.AccessToken!;
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: access }))).Username).toBe(signedUp.UserSub);

    await server.sdk.send(new GlobalSignOutCommand({ AccessToken: access }));
    for (const token of [tokens.AccessToken!, access]) {
      await expect(server.sdk.send(new GetUserCommand({ AccessToken: token }))).rejects.toMatchObject({
        name: 'NotAuthorizedException', message: 'Access Token has been revoked',
      });
    }
    await expect(
      server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    // A new sign-in works again.
    expect((await srpSignIn(email, PASSWORD)).AccessToken).toBeDefined();
  });

  it('a storm of concurrent SignUps of one username has exactly one winner and sends one mail', async () => {
    const email = 'pg-storm@example.com';
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }))),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ name: 'UsernameExistsException', message: 'An account with the given email already exists.' });
    }
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.Username).toBe(won[0]!.value.UserSub);
    const listed = await server.admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email}"` }));
    expect(listed.Users?.map((u) => u.Username)).toEqual([won[0]!.value.UserSub]);
    // Only the winner's transaction queued its mail.
    expect((await server.store.outbox.recent(10_000)).filter((m) => m.recipient === email)).toHaveLength(1);
  });

  it('a NUL character in one user’s attribute breaks no ListUsers filter of the pool', async () => {
    const email = 'pg-nul@example.com';
    const odd = await server.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'name', Value: 'nul\u0000here' }] }),
    );
    const byEmail = await server.admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email}"` }));
    expect(byEmail.Users?.map((u) => u.Username)).toEqual([odd.UserSub]);
    const byName = await server.admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'name ^= "nul"' }));
    expect(byName.Users?.map((u) => u.Username)).toEqual([odd.UserSub]);
    const got = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(got.UserAttributes?.find((a) => a.Name === 'name')?.Value).toBe('nul\u0000here');
  });
});
