import {
  AdminInitiateAuthCommand, ChangePasswordCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand, AdminConfirmSignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient, type PasswordVerifierChallenge } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The sign-in lockout (docs/security.md, "Guessing limits and lockout"; COGNITO_REFERENCE §4.7): after 5
 * wrong passwords a user is locked out for 1 s, then 2 s, 4 s … up to 15 minutes, answered
 * NotAuthorizedException "Password attempts exceeded" even with the right password; a right password
 * after the lock, or 15 minutes without a failure, start the count again. SRP, USER_PASSWORD_AUTH,
 * ADMIN_USER_PASSWORD_AUTH and ChangePassword's PreviousPassword share one count. The clock is moved with
 * server.advance (public calls only while it is moved; moved back after each test).
 */
let server: TestServer;
let poolId: string;
let clientId: string;
let quietClientId: string;

const PASSWORD = 'Rider-Password-1';
const WRONG = 'Wrong-Password-1';
const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const EXCEEDED = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };

let offset = 0;
const advance = (ms: number) => {
  server.advance(ms);
  offset += ms;
};
afterEach(() => {
  server.advance(-offset);
  offset = 0;
});

let n = 0;
/** A fresh confirmed user (each test gets its own count). */
async function rider(): Promise<string> {
  const email = `rider-${++n}-${Date.now()}@example.com`;
  await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
  return email;
}

const passwordAuth = (USERNAME: string, PASSWORD: string, ClientId = clientId) =>
  server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));

/** The PASSWORD_VERIFIER challenge of a USER_SRP_AUTH sign-in. */
async function srpChallenge(username: string, ClientId = clientId) {
  const client = srpClient();
  const started = await server.sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: client.srpA } }));
  return { client, challenge: started.ChallengeParameters as PasswordVerifierChallenge };
}

/** Answers a challenge with a password, its TIMESTAMP on the server's (moved) clock. */
function srpAnswer(started: Awaited<ReturnType<typeof srpChallenge>>, password: string, ClientId = clientId) {
  const ChallengeResponses = passwordClaim(started.client, poolId, password, started.challenge, { at: new Date(Date.now() + offset) });
  return server.sdk.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses }));
}

const srpSignIn = async (username: string, password: string, ClientId = clientId) => srpAnswer(await srpChallenge(username, ClientId), password, ClientId);

/** `times` wrong passwords, each answered as a wrong password. */
async function fail(username: string, times: number, via: (u: string, p: string) => Promise<unknown> = passwordAuth): Promise<void> {
  for (let i = 0; i < times; i++) await expect(via(username, WRONG)).rejects.toMatchObject(INCORRECT);
}

const wrongPasswordLogs = () => server.logs.filter((l) => l.msg === 'sign-in failed: wrong password').length;

beforeAll(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createWorkshopPool(server, { PreventUserExistenceErrors: 'LEGACY' }));
  ({ clientId: quietClientId } = await createWorkshopPool(server, { PreventUserExistenceErrors: 'ENABLED' }));
});
afterAll(async () => server?.stop());

describe('USER_PASSWORD_AUTH', () => {
  it('locks a user out after 5 wrong passwords: then even the right one is refused, without being checked', async () => {
    const user = await rider();
    const logged = wrongPasswordLogs();
    await fail(user, 5);
    await expect(passwordAuth(user, PASSWORD)).rejects.toMatchObject(EXCEEDED);
    await expect(passwordAuth(user, WRONG)).rejects.toMatchObject(EXCEEDED);
    // Refused before the password was looked at: only the 5 counted failures were checked.
    expect(wrongPasswordLogs() - logged).toBe(5);
    // The first lock lasts 1 s; then the right password signs in.
    advance(1000);
    expect((await passwordAuth(user, PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('doubles the lock with each further failure, up to 15 minutes; attempts while locked do not lengthen it', async () => {
    const user = await rider();
    await fail(user, 5);
    // Failure n (from the 5th) locks for 2^(n−5) s: 1, 2, 4 … 512 s, then 15 minutes (2^10 s would be more).
    // Real time goes on too, so each lock is seen still on at half its length (at most 2 s before its
    // end), over at its full length.
    for (let failures = 5; failures <= 16; failures++) {
      const lockMs = Math.min(1000 * 2 ** (failures - 5), 15 * 60_000);
      const margin = Math.min(lockMs / 2, 2000);
      advance(lockMs - margin);
      await expect(passwordAuth(user, WRONG)).rejects.toMatchObject(EXCEEDED);
      await expect(passwordAuth(user, PASSWORD)).rejects.toMatchObject(EXCEEDED);
      advance(margin);
      if (failures < 16) await expect(passwordAuth(user, WRONG)).rejects.toMatchObject(INCORRECT);
    }
    // A right password after the lock signs in and starts the count again: 4 failures lock nothing.
    expect((await passwordAuth(user, PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
    await fail(user, 4);
    expect((await passwordAuth(user, PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('forgets failures after 15 minutes without one, and after a right password', async () => {
    const [user, other] = [await rider(), await rider()];
    await fail(user, 3);
    advance(15 * 60_000);
    // The count starts again: 5 more before a lock (had it not, the third would have locked).
    await fail(user, 5);
    await expect(passwordAuth(user, PASSWORD)).rejects.toMatchObject(EXCEEDED);

    await fail(other, 4);
    expect((await passwordAuth(other, PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
    await fail(other, 4);
    expect((await passwordAuth(other, PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('counts parallel wrong passwords atomically: exactly 5 are checked and answered, the rest refused', async () => {
    const user = await rider();
    const logged = wrongPasswordLogs();
    const answers = await Promise.allSettled(Array.from({ length: 12 }, () => passwordAuth(user, WRONG)));
    const messages = answers.map((a) => (a.status === 'rejected' ? (a.reason as Error).message : 'signed in'));
    expect(messages.filter((m) => m === INCORRECT.message)).toHaveLength(5);
    expect(messages.filter((m) => m === EXCEEDED.message)).toHaveLength(7);
    expect(wrongPasswordLogs() - logged).toBe(5);
  });

  it('counts ADMIN_USER_PASSWORD_AUTH towards the same lockout', async () => {
    const user = await rider();
    const adminAuth = (USERNAME: string, PASSWORD: string) =>
      server.admin.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
    await fail(user, 3, adminAuth);
    await fail(user, 2);
    await expect(adminAuth(user, PASSWORD)).rejects.toMatchObject(EXCEEDED);
    await expect(passwordAuth(user, PASSWORD)).rejects.toMatchObject(EXCEEDED);
  });
});

describe('USER_SRP_AUTH', () => {
  it('locks out after 5 wrong proofs: InitiateAuth refuses the locked user, and SRP and USER_PASSWORD_AUTH share the count', async () => {
    const user = await rider();
    await fail(user, 3, srpSignIn);
    await fail(user, 2);
    await expect(srpChallenge(user)).rejects.toMatchObject(EXCEEDED);
    advance(1000);
    const signedIn = await srpSignIn(user, PASSWORD);
    expect(signedIn.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('refuses the right answer to a challenge taken before the lock, while locked', async () => {
    const user = await rider();
    const early = await srpChallenge(user);
    await fail(user, 5, srpSignIn);
    await expect(srpAnswer(early, PASSWORD)).rejects.toMatchObject(EXCEEDED);
  });

  it('checks parallel answers to challenges taken before: of 12 wrong proofs 5 are answered, 7 refused', async () => {
    const user = await rider();
    const challenges = [];
    for (let i = 0; i < 12; i++) challenges.push(await srpChallenge(user));
    const answers = await Promise.allSettled(challenges.map((c) => srpAnswer(c, WRONG)));
    const messages = answers.map((a) => (a.status === 'rejected' ? (a.reason as Error).message : 'signed in'));
    expect(messages.filter((m) => m === INCORRECT.message)).toHaveLength(5);
    expect(messages.filter((m) => m === EXCEEDED.message)).toHaveLength(7);
  });

  it('answers amazon-cognito-identity-js with the library’s NotAuthorizedException', async () => {
    const user = await rider();
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
    const signIn = (password: string) =>
      new Promise((resolve, reject) =>
        new CognitoUser({ Username: user, Pool: pool }).authenticateUser(new AuthenticationDetails({ Username: user, Password: password }), {
          onSuccess: resolve, onFailure: reject,
        }),
      );
    for (let i = 0; i < 5; i++) await expect(signIn(WRONG)).rejects.toMatchObject({ code: 'NotAuthorizedException', message: INCORRECT.message });
    await expect(signIn(PASSWORD)).rejects.toMatchObject({ code: 'NotAuthorizedException', message: EXCEEDED.message });
  });
});

describe('ChangePassword', () => {
  it('counts a wrong PreviousPassword towards the lockout, which then refuses the change and the sign-in', async () => {
    const user = await rider();
    const { AuthenticationResult } = await passwordAuth(user, PASSWORD);
    const change = (PreviousPassword: string) =>
      server.sdk.send(new ChangePasswordCommand({ AccessToken: AuthenticationResult!.AccessToken, PreviousPassword, ProposedPassword: 'Changed-Password-2' }));
    for (let i = 0; i < 3; i++) await expect(change(WRONG)).rejects.toMatchObject(INCORRECT);
    await fail(user, 2);
    await expect(change(PASSWORD)).rejects.toMatchObject(EXCEEDED);
    await expect(passwordAuth(user, PASSWORD)).rejects.toMatchObject(EXCEEDED);
    advance(1000);
    await change(PASSWORD);
    expect((await passwordAuth(user, 'Changed-Password-2')).AuthenticationResult?.AccessToken).toBeDefined();
  });
});

describe('PreventUserExistenceErrors ENABLED', () => {
  it('locks an unknown name out exactly like a known user, in both flows', async () => {
    const known = await rider();
    const unknown = `nobody-${Date.now()}@example.com`;
    for (const name of [known, unknown]) {
      for (let i = 0; i < 3; i++) await expect(passwordAuth(name, WRONG, quietClientId)).rejects.toMatchObject(INCORRECT);
      for (let i = 0; i < 2; i++) await expect(srpSignIn(name, WRONG, quietClientId)).rejects.toMatchObject(INCORRECT);
      await expect(passwordAuth(name, PASSWORD, quietClientId)).rejects.toMatchObject(EXCEEDED);
      await expect(srpChallenge(name, quietClientId)).rejects.toMatchObject(EXCEEDED);
    }
    advance(1000);
    await expect(passwordAuth(unknown, WRONG, quietClientId)).rejects.toMatchObject(INCORRECT);
    await expect(passwordAuth(known, WRONG, quietClientId)).rejects.toMatchObject(INCORRECT);
    await expect(passwordAuth(known, PASSWORD, quietClientId)).rejects.toMatchObject(EXCEEDED);
  });
});
