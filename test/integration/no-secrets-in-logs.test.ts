import {
  AdminCreateUserCommand, AdminInitiateAuthCommand, AdminRespondToAuthChallengeCommand, ChangePasswordCommand, ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand, CreateUserPoolClientCommand, ForgotPasswordCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { ADMIN, createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * A full run of the flows that handle secrets — sign-up with its code, password and SRP sign-in, refresh,
 * a wrong password, forgot/confirm password, an invitation with a temporary password and its challenge,
 * a password change, revocation, a client secret — at the most verbose log level. Afterwards no password,
 * code, token, SRP secret block or signature, challenge session, client secret or admin secret appears
 * anywhere in the structured log.
 */
let server: TestServer;
let poolId: string;
let clientId: string;
const secrets = new Map<string, string>();
const keep = (label: string, value: string | undefined) => {
  expect(value, label).toBeTruthy();
  secrets.set(label, value!);
  return value!;
};

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'trace' });
  ({ poolId, clientId } = await createWorkshopPool(server));
});
afterAll(async () => server?.stop());

describe('the log of a full run', () => {
  it('runs every flow that carries a secret', async () => {
    const email = 'secrets@example.com';
    const p1 = keep('password', 'Log-Secret-Pass-1');
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: p1 }));
    const c1 = keep('sign-up code', await server.smtp.codeFor(email));
    await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: c1 }));

    const byPassword = (await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: p1 } })))
      .AuthenticationResult!;
    keep('access token', byPassword.AccessToken);
    keep('id token', byPassword.IdToken);
    keep('refresh token', byPassword.RefreshToken);

    const client = srpClient();
    const started = await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: client.srpA } }));
    const claim = passwordClaim(client, poolId, p1, started.ChallengeParameters as PasswordVerifierChallenge);
    keep('SRP secret block', claim.PASSWORD_CLAIM_SECRET_BLOCK);
    keep('SRP signature', claim.PASSWORD_CLAIM_SIGNATURE);
    const bySrp = await server.sdk.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: claim }));
    keep('SRP access token', bySrp.AuthenticationResult!.AccessToken);

    const refreshed = await server.sdk.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: byPassword.RefreshToken! } }),
    );
    keep('refreshed id token', refreshed.AuthenticationResult!.IdToken);

    const wrong = keep('wrong password', 'Wrong-Guess-Pass-9');
    await expect(
      server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: wrong } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    // A password refused by the policy is not echoed either.
    const weak = keep('weak password', 'weakpass-no-digits');
    await expect(server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'weak@example.com', Password: weak }))).rejects.toMatchObject({
      name: 'InvalidPasswordException',
    });

    const before = server.smtp.messages.length;
    await server.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email }));
    const c2 = keep('reset code', await server.smtp.codeFor(email, before));
    const p2 = keep('new password', 'Log-Secret-Pass-2');
    await server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: email, ConfirmationCode: c2, Password: p2 }));

    const signedIn = (await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: p2 } })))
      .AuthenticationResult!;
    const p3 = keep('changed password', 'Log-Secret-Pass-3');
    await server.sdk.send(new ChangePasswordCommand({ AccessToken: signedIn.AccessToken, PreviousPassword: p2, ProposedPassword: p3 }));
    await server.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: signedIn.RefreshToken }));

    const invited = 'invited@example.com';
    const temporary = keep('temporary password', 'Temp-Secret-Pass-4');
    await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: invited, TemporaryPassword: temporary, MessageAction: 'SUPPRESS' }));
    const challenge = await server.admin.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: invited, PASSWORD: temporary } }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    keep('challenge session', challenge.Session);
    const p4 = keep('password set at the challenge', 'Log-Secret-Pass-5');
    await server.admin.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId, ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session,
        ChallengeResponses: { USERNAME: invited, NEW_PASSWORD: p4 },
      }),
    );

    const withSecret = await server.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'confidential', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const clientSecret = keep('client secret', withSecret.UserPoolClient!.ClientSecret);
    const secretClientId = withSecret.UserPoolClient!.ClientId!;
    const hash = createHmac('sha256', clientSecret).update(`${email}${secretClientId}`).digest('base64');
    keep('secret hash', hash);
    await server.sdk.send(
      new InitiateAuthCommand({ ClientId: secretClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: p3, SECRET_HASH: hash } }),
    );
    keep('admin secret access key', ADMIN.secretAccessKey);
  });

  it('holds none of those secrets', () => {
    const text = server.logs.map((l) => JSON.stringify(l)).join('\n');
    expect(server.logs.length).toBeGreaterThan(20);
    expect(text).toContain('signed in');
    const found: string[] = [];
    for (const [label, value] of secrets) {
      // Codes are six digits: only a match not inside a longer number (a timestamp) counts.
      const hit = /^\d{6}$/.test(value) ? new RegExp(`(?<!\\d)${value}(?!\\d)`).test(text) : text.includes(value);
      if (hit) found.push(label);
    }
    expect(found).toEqual([]);
  });
});
