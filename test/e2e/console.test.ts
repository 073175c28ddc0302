import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  AdminConfirmSignUpCommand, AdminGetUserCommand, ConfirmForgotPasswordCommand, ConfirmSignUpCommand, CreateUserPoolCommand,
  DescribeUserPoolClientCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ADMIN, createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';
import { launchBrowser, watchedPage, type WatchedPage } from './browser.js';

// The admin console in Chromium: the built SPA (npm run build → dist/web/console) served by the real
// server, signing in with SRP against the internal console pool.

const RIDER = { email: 'rider@example.com', password: 'Wild-Rydes-1' };
const WALKER = { email: 'walker@example.com', password: 'Walk-Rydes-1' };

let server: TestServer;
let browser: Browser;

const SUITES = ['console-workshop', 'console-access', 'console-pages', 'console-phone'];

beforeAll(async () => {
  // Screenshots of an earlier run would mix with this run's.
  for (const suite of SUITES) rmSync(`test-artifacts/${suite}`, { recursive: true, force: true });
  // No SMTP server: mail goes to the dev outbox, which the console shows.
  [server, browser] = await Promise.all([
    startTestServer({ demo: 'on', smtpUrl: undefined }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Every HTTP error the page received, as "<status> <method> <path>". */
function failedResponses(page: Page): string[] {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return failed;
}

/**
 * No console errors but the "Failed to load resource" line Chromium logs for each expected HTTP error
 * (e.g. the 401 of GET /console/api/session that tells the SPA nobody is signed in yet): the expected
 * errors are listed exactly, so any other failed request or console error fails the test.
 */
function expectOnlyExpectedErrors(w: WatchedPage, failed: string[], expected: string[]): void {
  expect(failed).toEqual(expected);
  const resourceErrors = w.errors.filter((e) => /^Failed to load resource: the server responded with a status of 4\d\d/.test(e));
  expect(resourceErrors).toHaveLength(expected.length);
  expect(w.errors.filter((e) => !resourceErrors.includes(e))).toEqual([]);
}

const NOT_SIGNED_IN = '401 GET /console/api/session';

async function signInAsAdmin(page: Page): Promise<void> {
  await page.getByLabel('Username').fill(CONSOLE_ADMIN.username);
  await page.getByLabel('Password', { exact: true }).fill(CONSOLE_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The code of the newest dev-outbox mail to `to` with this subject (no SMTP server in these tests). */
async function outboxCode(to: string, subject: string): Promise<string> {
  const res = await fetch(`${server.url}/_dev/outbox?limit=500`);
  const { messages } = (await res.json()) as { messages: { to: string; subject?: string; text?: string }[] };
  const text = messages.find((m) => m.to === to && m.subject === subject)?.text ?? '';
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  expect(code, `a "${subject}" mail to ${to} in the dev outbox`).toBeDefined();
  return code!;
}

function identityJsSignIn(poolId: string, clientId: string, username: string, password: string): Promise<CognitoUserSession> {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${server.url}/` });
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), { onSuccess: resolve, onFailure: reject }),
  );
}

describe('the admin console', () => {
  it('runs the workshop: create a pool with defaults, an app client without secret, download config.js, confirm a user who then signs in', async () => {
    const w = await watchedPage(browser, 'console-workshop');
    const { page } = w;
    const failed = failedResponses(page);

    await page.goto(`${server.url}/console/`);
    await page.waitForURL(`${server.url}/console/login`);
    await w.shot('login');
    await signInAsAdmin(page);
    await page.getByRole('heading', { name: 'User pools', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'cognate-console' }).waitFor();
    await w.shot('pools');

    // Create user pool → name → Review defaults → Create pool.
    await page.getByRole('main').getByRole('link', { name: 'Create user pool' }).click();
    await page.getByLabel('Pool name').fill('WildRydes');
    await page.getByRole('button', { name: 'Review defaults' }).click();
    const review = page.getByRole('main');
    await review.getByText('Email address as username').waitFor();
    for (const rule of ['Minimum length: 8 characters', 'Requires an uppercase letter', 'Requires a lowercase letter', 'Requires a number', 'Requires a symbol']) {
      await review.getByText(rule).waitFor();
    }
    await w.shot('review-defaults');
    await page.getByRole('button', { name: 'Create pool' }).click();
    await page.getByText('User pool WildRydes created.').waitFor();
    const poolId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(poolId).toMatch(/^us-east-1_[0-9a-zA-Z]+$/);
    await page.getByText(`arn:aws:cognito-idp:us-east-1:`).waitFor();
    await w.shot('pool-details');

    // App clients → Add an app client, "Generate client secret" unchecked by default.
    await page.getByRole('link', { name: 'App clients' }).click();
    await page.getByText('No app clients yet').waitFor();
    await page.getByRole('button', { name: 'Add an app client' }).click();
    await page.getByLabel('App client name').fill('WildRydesWebApp');
    const secret = page.getByLabel('Generate client secret');
    expect(await secret.isChecked()).toBe(false);
    await page.getByText('client secrets are not supported by the JavaScript SDK in the browser').waitFor();
    await w.shot('new-client');
    await page.getByRole('button', { name: 'Create app client' }).click();
    const created = page.getByRole('region', { name: 'App client WildRydesWebApp created' });
    await created.waitFor();
    const clientId = (await created.locator('dt:text-is("userPoolClientId") + dd code').textContent())!;
    expect(clientId).toMatch(/^[a-z0-9]{20,}$/);
    const described = await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    expect(described.UserPoolClient?.ClientSecret).toBeUndefined();
    await page.getByRole('row', { name: /WildRydesWebApp/ }).waitFor();
    await w.shot('client-created');

    // Download config.js (an attachment) and check it names this pool and client.
    const [download] = await Promise.all([page.waitForEvent('download'), created.getByRole('link', { name: 'Download config.js' }).click()]);
    expect(download.suggestedFilename()).toBe('config.js');
    const configJs = await readFile((await download.path())!, 'utf8');
    expect(configJs).toContain(`userPoolId: '${poolId}'`);
    expect(configJs).toContain(`userPoolClientId: '${clientId}'`);
    expect(configJs).toContain(`region: 'us-east-1'`);

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByText('No users yet').waitFor();
    await w.shot('users-empty');

    // A rider signs up with an address nobody reads (the public API, as the demo site would).
    const signedUp = await server.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: RIDER.email, Password: RIDER.password, UserAttributes: [{ Name: 'email', Value: RIDER.email }] }),
    );
    expect(signedUp.UserConfirmed).toBe(false);

    // The administrator finds them by email prefix and confirms them by hand.
    await page.getByLabel('Search by email prefix').fill('rider@');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${server.url}/console/pools/${poolId}/users?email=rider%40`);
    const row = page.getByRole('row', { name: new RegExp(RIDER.email) });
    await row.getByText('UNCONFIRMED').waitFor();
    await w.shot('users-search');
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: RIDER.email }).waitFor();
    // No verified email yet: the page says a reset code could not reach them.
    await page.getByText('This user has no verified email address, so a reset code cannot be sent to them.').waitFor();
    await w.shot('user-unconfirmed');
    await page.getByRole('button', { name: 'Confirm user' }).click();
    await page.getByText('User confirmed: they can sign in now.').waitFor();
    await page.locator('.status-line').getByText('CONFIRMED', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Confirm user' }).count()).toBe(0);
    await w.shot('user-confirmed');

    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: RIDER.email }));
    expect(user.UserStatus).toBe('CONFIRMED');

    // Disable, then enable again.
    await page.getByRole('button', { name: 'Disable user' }).click();
    await page.getByText('User disabled: they can no longer sign in.').waitFor();
    await page.locator('.status-line').getByText('Disabled', { exact: true }).waitFor();
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: RIDER.email }))).Enabled).toBe(false);
    await page.getByRole('button', { name: 'Enable user' }).click();
    await page.getByText('User enabled.').waitFor();
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: RIDER.email }))).Enabled).toBe(true);

    // The rider signs in (SRP, amazon-cognito-identity-js, the app client's default auth flows).
    const session = await identityJsSignIn(poolId, clientId, RIDER.email, RIDER.password);
    expect(session.getIdToken().decodePayload().email).toBe(RIDER.email);

    // A second rider confirmed their address with the mailed code; the administrator resets their password.
    await server.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: WALKER.email, Password: WALKER.password, UserAttributes: [{ Name: 'email', Value: WALKER.email }] }),
    );
    await server.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: WALKER.email, ConfirmationCode: await outboxCode(WALKER.email, 'Your verification code') }));
    await page.goto(`${server.url}/console/pools/${poolId}/users?email=walker%40`);
    await page.getByRole('row', { name: new RegExp(WALKER.email) }).getByRole('link').click();
    await page.getByRole('heading', { name: WALKER.email }).waitFor();
    await page.locator('.status-line').getByText('CONFIRMED', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Reset password' }).click();
    const resetDialog = page.getByRole('dialog', { name: "Reset this user's password?" });
    await resetDialog.getByText('The user will get a code by email and must choose a new password before signing in again.').waitFor();
    await w.shot('reset-password-dialog');
    await resetDialog.getByRole('button', { name: 'Reset password' }).click();
    await page.getByText('Password reset: the user got a code by email and must choose a new password before signing in again.').waitFor();
    await page.locator('.status-line').getByText('RESET_REQUIRED', { exact: true }).waitFor();
    expect(await resetDialog.isVisible()).toBe(false);
    await w.shot('user-reset-required');
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: WALKER.email }))).UserStatus).toBe('RESET_REQUIRED');

    // The reset mail is in the dev outbox; its code sets a new password, and the rider signs in with it.
    const resetCode = await outboxCode(WALKER.email, 'Your password reset code');
    await server.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: WALKER.email, ConfirmationCode: resetCode, Password: 'Walk-Rydes-2' }));
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: WALKER.email }))).UserStatus).toBe('CONFIRMED');
    expect((await identityJsSignIn(poolId, clientId, WALKER.email, 'Walk-Rydes-2')).isValid()).toBe(true);

    // The verification mail the rider never read, and the reset mail, are in the dev outbox.
    await page.getByRole('link', { name: 'Dev outbox' }).click();
    await page.getByText(RIDER.email, { exact: true }).first().waitFor();
    await page.locator('.message-subject', { hasText: 'Your password reset code' }).first().waitFor();
    await w.shot('outbox');

    // Nothing of identity-js stays in the browser after sign-in.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('CognitoIdentityServiceProvider')))).toEqual([]);
    expectOnlyExpectedErrors(w, failed, [NOT_SIGNED_IN]);
    await page.context().close();
  });

  it('refuses unauthenticated access and users of other pools, and returns to the page asked for after sign-in', async () => {
    // The API itself, without a session.
    const call = await fetch(`${server.url}/console/api/call`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operation: 'ListUserPools', input: { MaxResults: 10 } }),
    });
    expect(call.status).toBe(401);
    expect((await fetch(`${server.url}/console/api/session`)).status).toBe(401);

    // A confirmed user of an ordinary pool.
    const other = await createWorkshopPool(server);
    const outsider = { email: 'outsider@example.com', password: 'Outsider-Pass-1' };
    await server.sdk.send(new SignUpCommand({ ClientId: other.clientId, Username: outsider.email, Password: outsider.password, UserAttributes: [{ Name: 'email', Value: outsider.email }] }));
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: other.poolId, Username: outsider.email }));
    // Their (valid) ID token does not open a console session.
    const idToken = (await identityJsSignIn(other.poolId, other.clientId, outsider.email, outsider.password)).getIdToken().getJwtToken();
    const trade = await fetch(`${server.url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idToken }) });
    expect([401, 403]).toContain(trade.status);
    expect(trade.headers.get('set-cookie')).toBeNull();

    const w = await watchedPage(browser, 'console-access');
    const { page } = w;
    const failed = failedResponses(page);
    await page.goto(`${server.url}/console/pools/us-east-1_nosuchpool`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/console/login?next=%2Fpools%2Fus-east-1_nosuchpool');
    await w.shot('deep-link-login');

    // The console pool does not know the outsider: the login page says so.
    await page.getByLabel('Username').fill(outsider.email);
    await page.getByLabel('Password', { exact: true }).fill(outsider.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Incorrect username or password.').waitFor();
    await w.shot('outsider-refused');

    // By keyboard alone: the username field, Tab to the password, Enter submits.
    await page.getByLabel('Username').fill(CONSOLE_ADMIN.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(CONSOLE_ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByText('User pool us-east-1_nosuchpool does not exist.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/pools/us-east-1_nosuchpool');
    await w.shot('deep-link-after-sign-in');

    // Signing out ends the session: the API answers 401 again and the console shows the login page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(async () => (await fetch('/console/api/session')).status)).toBe(401);

    expectOnlyExpectedErrors(w, failed, [
      NOT_SIGNED_IN,
      // The outsider's SRP attempt: identity-js's RespondToAuthChallenge answered NotAuthorizedException.
      '400 POST /',
      // DescribeUserPool of the pool that does not exist (the page shows Cognito's message).
      '400 POST /console/api/call',
      // The check after signing out.
      NOT_SIGNED_IN,
    ]);
    await page.context().close();
  });

  it('pages through users 20 at a time, keeps the page on reload, deletes a user and a pool (after its name is typed), and fits a phone', async () => {
    const { poolId, clientId } = await createWorkshopPool(server);
    await Promise.all(
      Array.from({ length: 23 }, (_, i) =>
        server.sdk.send(new SignUpCommand({
          ClientId: clientId, Username: `user${String(i).padStart(2, '0')}@example.com`, Password: 'Pass-word-1',
          UserAttributes: [{ Name: 'email', Value: `user${String(i).padStart(2, '0')}@example.com` }],
        })),
      ),
    );
    const doomed = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'Doomed' }))).UserPool!.Id!;

    const w = await watchedPage(browser, 'console-pages');
    const { page } = w;
    const failed = failedResponses(page);
    const listUsersLimits: unknown[] = [];
    page.on('request', (r) => {
      const body = r.postDataJSON() as { operation?: string; input?: { Limit?: number } } | null;
      if (r.url().endsWith('/console/api/call') && body?.operation === 'ListUsers') listUsersLimits.push(body.input?.Limit);
    });

    const usersUrl = `${server.url}/console/pools/${poolId}/users`;
    await page.goto(usersUrl);
    await signInAsAdmin(page);
    await page.waitForURL(usersUrl);
    const rows = page.locator('tbody tr');
    await page.getByText('1–20 · page 1').waitFor();
    expect(await rows.count()).toBe(20);
    await w.shot('users-page-1');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('21–23 · page 2').waitFor();
    expect(await rows.count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await w.shot('users-page-2');
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('1–20 · page 1').waitFor();
    expect(listUsersLimits.length).toBeGreaterThanOrEqual(3);
    expect(new Set(listUsersLimits)).toEqual(new Set([20]));

    // A reload stays on the same page, still signed in.
    await page.reload();
    await page.getByRole('heading', { name: 'Users', level: 2 }).waitFor();
    await page.getByText('1–20 · page 1').waitFor();
    expect(page.url()).toBe(usersUrl);

    // Delete one user, after confirming.
    const first = page.locator('tbody tr').first().getByRole('link');
    const doomedUser = (await first.textContent())!;
    await first.click();
    await page.getByRole('button', { name: 'Delete user' }).click();
    await page.getByRole('dialog', { name: 'Delete this user?' }).getByRole('button', { name: 'Delete user' }).click();
    await page.getByText(/^User user\d\d@example\.com deleted\.$/).waitFor();
    await page.waitForURL(usersUrl);
    expect(await page.getByRole('link', { name: doomedUser }).count()).toBe(0);

    // Deleting a pool needs its name typed.
    await page.goto(`${server.url}/console/pools/${doomed}`);
    await page.getByRole('button', { name: 'Delete user pool' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Doomed?' });
    const confirm = dialog.getByRole('button', { name: 'Delete user pool' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type Doomed to confirm').fill('Doome');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type Doomed to confirm').fill('Doomed');
    await w.shot('delete-pool-dialog');
    await confirm.click();
    await page.getByText('User pool Doomed deleted.').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/?$/);
    expect(await page.getByRole('link', { name: 'Doomed' }).count()).toBe(0);
    expectOnlyExpectedErrors(w, failed, [NOT_SIGNED_IN]);
    await page.context().close();

    // A phone: the navigation folds into a menu and nothing is wider than the screen.
    const phone = await watchedPage(browser, 'console-phone', { width: 390, height: 844 });
    const phoneFailed = failedResponses(phone.page);
    await phone.page.goto(`${server.url}/console/`);
    await signInAsAdmin(phone.page);
    await phone.page.getByRole('heading', { name: 'User pools', level: 1 }).waitFor();
    await phone.page.getByRole('link', { name: 'WildRydes' }).first().waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await phone.page.getByRole('navigation', { name: 'Console' }).isVisible()).toBe(false);
    await phone.shot('pools-390');
    await phone.page.getByRole('button', { name: 'Menu' }).click();
    await phone.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'All user pools' }).waitFor();
    await phone.shot('menu-390');
    await phone.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Create user pool' }).click();
    await phone.page.getByLabel('Pool name').waitFor();
    expect(await phone.page.getByRole('navigation', { name: 'Console' }).isVisible()).toBe(false);
    expectOnlyExpectedErrors(phone, phoneFailed, [NOT_SIGNED_IN]);
    await phone.page.context().close();
  });
});
