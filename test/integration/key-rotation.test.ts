import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminConfirmSignUpCommand, GetUserCommand, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISH_AHEAD_MS, RETIRE_AFTER_MS } from '../../src/domain/key-ring.js';
import { rotateDueSigningKeys } from '../../src/domain/key-rotation.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Signing-key rotation with two instances on one database: the new key is in both instances' JWKS before
 * either signs with it; the old key verifies the tokens it signed until they expire, then leaves the JWKS;
 * a scheduled rotation runs once however many instances try.
 */
const dir = mkdtempSync(join(tmpdir(), 'cognate-rotation-'));
const PASSWORD = 'Rotate-Keys-1';
const EMAIL = 'rotate@example.com';
let one: TestServer;
let two: TestServer;
let poolId: string;
let clientId: string;

const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
const jwksKids = async (server: TestServer) =>
  ((await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort();
const signIn = async (server: TestServer) =>
  (await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: EMAIL, PASSWORD } })))
    .AuthenticationResult!;
const advanceBoth = (ms: number) => {
  one.advance(ms);
  two.advance(ms);
};

beforeAll(async () => {
  // One issuer for both instances (the AWS form), as behind a load balancer with one public URL.
  const shared = { databaseUrl: `sqlite:${join(dir, 'cognate.db')}`, issuerStyle: 'aws' as const };
  one = await startTestServer(shared);
  two = await startTestServer(shared);
  ({ poolId, clientId } = await createWorkshopPool(one));
  await one.sdk.send(new SignUpCommand({ ClientId: clientId, Username: EMAIL, Password: PASSWORD }));
  await one.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: EMAIL }));
});
afterAll(async () => {
  await one?.stop();
  await two?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('signing key rotation across instances', () => {
  let moved = 0;
  const advance = (ms: number) => {
    advanceBoth(ms);
    moved += ms;
  };
  afterAll(() => advanceBoth(-moved));

  it('publishes the new keys on every instance before any signs with them, and keeps verifying the old tokens', async () => {
    const before = await signIn(two); // instance two has read (and cached) the keys
    const oldKids = await jwksKids(two);
    expect(oldKids).toHaveLength(2);
    expect(oldKids).toContain(kidOf(before.AccessToken!));

    const added = await one.runtime.deps.keyRing.rotate(poolId);
    // Instance two re-reads within a minute; the new keys sign only after five.
    advance(61_000);
    expect(await jwksKids(two)).toEqual([...oldKids, ...added].sort());
    expect(kidOf((await signIn(one)).IdToken!)).toBe(kidOf(before.IdToken!));
    expect(kidOf((await signIn(two)).AccessToken!)).toBe(kidOf(before.AccessToken!));

    advance(PUBLISH_AHEAD_MS);
    const after = await signIn(two);
    expect(added).toContain(kidOf(after.AccessToken!));
    expect(added).toContain(kidOf(after.IdToken!));
    // Each instance accepts the other's new tokens and the old ones.
    await expect(one.sdk.send(new GetUserCommand({ AccessToken: after.AccessToken }))).resolves.toBeDefined();
    await expect(two.sdk.send(new GetUserCommand({ AccessToken: (await signIn(one)).AccessToken }))).resolves.toBeDefined();
    await expect(one.sdk.send(new GetUserCommand({ AccessToken: before.AccessToken }))).resolves.toBeDefined();
    // aws-jwt-verify, fetching the JWKS, verifies tokens of both keys.
    const verifier = JwtVerifier.create({ issuer: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`, audience: clientId, jwksUri: `${one.url}/${poolId}/.well-known/jwks.json` });
    // (aws-jwt-verify fetches over https only: hand it the JWKS the instance serves.)
    verifier.cacheJwks((await (await fetch(`${two.url}/${poolId}/.well-known/jwks.json`)).json()) as Parameters<typeof verifier.cacheJwks>[0]);
    await expect(verifier.verify(before.IdToken!)).resolves.toMatchObject({ token_use: 'id' });
    await expect(verifier.verify(after.IdToken!)).resolves.toMatchObject({ token_use: 'id' });

    // A day after the switch, every token of the old keys has expired: they leave the JWKS.
    advance(RETIRE_AFTER_MS);
    expect(await jwksKids(one)).toEqual([...added].sort());
    expect(await jwksKids(two)).toEqual([...added].sort());
    await expect(one.sdk.send(new GetUserCommand({ AccessToken: before.AccessToken }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('runs a scheduled rotation once when both instances find it due', async () => {
    const kids = await jwksKids(one);
    const period = 60_000;
    const rotated = await Promise.all([rotateDueSigningKeys(one.runtime.deps, period), rotateDueSigningKeys(two.runtime.deps, period)]);
    expect(rotated.flat().filter((id) => id === poolId)).toHaveLength(1);
    one.runtime.deps.keyRing.forget(poolId);
    expect(await jwksKids(one)).toHaveLength(kids.length + 2);
    // Not due again right away (the new keys have not even started signing).
    expect(await rotateDueSigningKeys(one.runtime.deps, period)).not.toContain(poolId);
  });
});
