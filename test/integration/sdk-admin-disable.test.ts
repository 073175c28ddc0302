import {
  AdminConfirmSignUpCommand, AdminDisableUserCommand, AdminEnableUserCommand, AdminGetUserCommand, GetTokensFromRefreshTokenCommand,
  GetUserCommand, InitiateAuthCommand, ListUsersCommand, RespondToAuthChallengeCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/** AdminDisableUser and AdminEnableUser through the AWS SDK v3: the flag, and what it does to sign-in and tokens. */
let server: TestServer;
let poolId: string;
let clientId: string;

const PASSWORD = 'Disable-Me-1';

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server));
});
afterAll(async () => server?.stop());

async function confirmedUser(email: string): Promise<void> {
  await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
}

const passwordSignIn = (email: string) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }));

async function srpSignIn(email: string) {
  const srp = srpClient();
  const start = await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: srp.srpA } }));
  return server.sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: passwordClaim(srp, poolId, PASSWORD, start.ChallengeParameters!),
    }),
  );
}

const enabled = async (email: string) => (await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).Enabled;

describe('AdminDisableUser', () => {
  it('disables the user: Enabled false, ListUsers status "Disabled", sign-in refused with "User is disabled."', async () => {
    const email = 'to-disable@example.com';
    await confirmedUser(email);
    expect(await enabled(email)).toBe(true);

    const out = await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await enabled(email)).toBe(false);
    const listed = await server.admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'status = "Disabled"' }));
    expect(listed.Users!.map((u) => u.Attributes!.find((a) => a.Name === 'email')?.Value)).toEqual([email]);

    await expect(passwordSignIn(email)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    await expect(srpSignIn(email)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    // A second time is no error.
    await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    expect(await enabled(email)).toBe(false);
  });

  it('revokes the tokens already issued: GetUser and both refresh paths are refused, also after enabling again', async () => {
    const email = 'signed-in-then-disabled@example.com';
    await confirmedUser(email);
    const tokens = (await passwordSignIn(email)).AuthenticationResult!;
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).Username).toBeDefined();

    await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const refresh = () =>
      server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }));
    await expect(refresh()).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    await expect(server.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });

    await server.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: email }));
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
    await expect(refresh()).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });

  it('refuses unknown users and pools', async () => {
    await expect(server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'nobody@example.com' }))).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });
    await expect(server.admin.send(new AdminDisableUserCommand({ UserPoolId: 'us-east-1_NoSuchPol', Username: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPol does not exist.',
    });
  });
});

describe('AdminEnableUser', () => {
  it('enables a disabled user: Enabled true and sign-in works again, with new tokens', async () => {
    const email = 'to-enable@example.com';
    await confirmedUser(email);
    await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    await expect(passwordSignIn(email)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });

    const out = await server.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: email }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await enabled(email)).toBe(true);
    const tokens = (await srpSignIn(email)).AuthenticationResult!;
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).UserAttributes).toContainEqual({ Name: 'email', Value: email });
    const refreshed = await server.sdk.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }),
    );
    expect(refreshed.AuthenticationResult!.AccessToken).toBeDefined();
    // Enabling an enabled user is no error either.
    await server.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: email }));
    expect(await enabled(email)).toBe(true);
  });

  it('refuses unknown users and pools', async () => {
    await expect(server.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'nobody@example.com' }))).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });
    await expect(server.admin.send(new AdminEnableUserCommand({ UserPoolId: 'us-east-1_NoSuchPol', Username: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_NoSuchPol does not exist.',
    });
  });
});
