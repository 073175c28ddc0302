import {
  AdminConfirmSignUpCommand, AdminInitiateAuthCommand, CreateUserPoolClientCommand, DeleteUserPoolClientCommand, GetUserCommand,
  GlobalSignOutCommand, InitiateAuthCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/** Tokens whose refresh-token family is gone (client deleted, tokens purged) stop working. */
let server: TestServer;
let poolId: string;
const email = 'lifecycle@example.com';
const password = 'Life-cycle-1';

beforeAll(async () => {
  server = await startTestServer();
  const ids = await createWorkshopPool(server);
  poolId = ids.poolId;
  await server.sdk.send(new SignUpCommand({ ClientId: ids.clientId, Username: email, Password: password }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
});
afterAll(async () => server?.stop());

async function signInWith(clientId: string) {
  const out = await server.admin.send(
    new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }),
  );
  return out.AuthenticationResult!;
}

describe('token lifecycle', () => {
  it('refuses the access and refresh tokens of an app client once the client is deleted', async () => {
    const c = await server.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'doomed', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const doomed = c.UserPoolClient!.ClientId!;
    const tokens = await signInWith(doomed);
    expect((await server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).Username).toBeDefined();
    await server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: doomed }));
    await expect(server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'Access Token has been revoked',
    });
    await expect(
      server.sdk.send(new InitiateAuthCommand({ ClientId: doomed, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('keeps a revoked family revoked after the purge of expired refresh tokens', async () => {
    // Refresh tokens that live 1 hour and access tokens that live 1 day: the access token outlives its refresh token.
    const c = await server.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId, ClientName: 'long-access', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 1, RefreshTokenValidity: 60, TokenValidityUnits: { AccessToken: 'days', RefreshToken: 'minutes' },
      }),
    );
    const tokens = await signInWith(c.UserPoolClient!.ClientId!);
    await server.sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
    // Two hours on, the refresh token has expired; purge runs; the revoked access token must stay refused.
    const later = Date.now() + 2 * 3600_000;
    await server.store.tokens.purgeExpired(later);
    server.advance(2 * 3600_000);
    try {
      await expect(server.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).rejects.toMatchObject({
        name: 'NotAuthorizedException', message: 'Access Token has been revoked',
      });
    } finally {
      server.advance(-2 * 3600_000);
    }
  });
});
