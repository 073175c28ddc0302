import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoBuilt } from '../helpers/demo-build.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { launchBrowser, watchedPage } from './browser.js';

/**
 * The Wild Rydes demo in Chromium against the real server (demo pool, real SMTP sink): register,
 * verify with the mailed code, sign in with SRP, request a ride from the protected API, sign out.
 */

const SUITE = 'demo-site';
const email = 'e2e-rider@example.com';
const password = 'Wild-Rydes-1';

/**
 * Chromium reports every 4xx answer to fetch() as a console error ("Failed to load resource: …"). The
 * flow provokes exactly these on purpose (a wrong code, a wrong password, the API without a token);
 * anything else in the console — a CSP violation, an exception — fails the test.
 */
const EXPECTED_NETWORK_ERRORS = [
  /Failed to load resource: the server responded with a status of 400/, // CodeMismatchException
  /Failed to load resource: the server responded with a status of 400/, // NotAuthorizedException
  /Failed to load resource: the server responded with a status of 401/, // the ride API without a token
];

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ensureDemoBuilt();
  [server, browser] = await Promise.all([startTestServer({ demo: 'on' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the Wild Rydes demo site in Chromium', () => {
  it('register → verify (wrong code first) → sign in (wrong password first) → ride → sign out', async () => {
    const { page, errors, shot } = await watchedPage(browser, SUITE);
    const alert = page.getByRole('alert');
    const { poolId } = server.demo!;

    // Landing
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.locator('#pool-id').textContent()).toBe(poolId);
    await shot('landing');
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Register' }).click();

    // Register: the rules are on the page; a mismatched confirmation is refused before any call.
    await page.waitForURL('**/register.html');
    const rules = page.locator('#password-rules');
    for (const rule of ['at least 8 characters', 'an uppercase letter', 'a lowercase letter', 'a number', 'a symbol']) {
      await expect.poll(() => rules.textContent()).toContain(rule);
    }
    expect(await rules.isVisible()).toBe(true);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill('Wild-Rydes-2');
    expect(await page.locator('#password-rules li.met').count()).toBe(5);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => alert.textContent()).toContain('The passwords do not match');
    expect(await page.getByLabel('Confirm password').getAttribute('aria-invalid')).toBe('true');
    expect(server.smtp.count(email)).toBe(0);
    await shot('register-mismatch');
    await page.getByLabel('Confirm password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();

    // Verify: the code comes by email; a wrong one is refused in words and the user stays UNCONFIRMED.
    await page.waitForURL('**/verify.html?**');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/We emailed a 6-digit code to e\*\*\*@e\*\*\*/);
    await shot('verify');
    const code = await server.smtp.codeFor(email);
    await page.getByLabel('Verification code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => alert.textContent()).toContain('That code is not right');
    const pending = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(pending.UserStatus).toBe('UNCONFIRMED');
    await shot('verify-wrong-code');
    // "Send a new code" mails another one; the newest is the one to use.
    const mailed = server.smtp.messages.length;
    await page.getByRole('button', { name: 'Send a new code' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('We sent a new code to e***@e***');
    const newest = await server.smtp.codeFor(email, mailed);
    expect(server.smtp.count(email)).toBe(2);
    await page.getByLabel('Verification code').fill(newest);
    await page.getByRole('button', { name: 'Verify' }).click();

    // Sign in, from the keyboard: a wrong password first.
    await page.waitForURL('**/signin.html?**');
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Your email is verified');
    const confirmed = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(confirmed.UserStatus).toBe('CONFIRMED');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.getByLabel('Password').focus();
    await page.keyboard.type('Wrong-Password-1');
    await page.keyboard.press('Enter');
    await expect.poll(() => alert.textContent()).toBe('Incorrect username or password.');
    await shot('sign-in-wrong-password');
    await page.getByLabel('Password').fill(password);
    await page.keyboard.press('Enter');

    // The ride page: who is signed in and the ID token's claims.
    await page.waitForURL('**/ride.html');
    await expect.poll(() => page.locator('#who').textContent()).toBe(email);
    const claims = Object.fromEntries(
      await page.locator('#claims tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th')?.textContent, r.querySelector('td')?.textContent])),
    );
    expect(claims).toMatchObject({ email, email_verified: 'true', token_use: 'id', iss: `${server.url}/${poolId}`, aud: server.demo!.clientId });
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    await shot('ride');

    // Request a ride: the ID token, bare, in Authorization (as the workshop sends it to API Gateway).
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url() === `${server.url}/demo/api/ride`),
      page.getByRole('button', { name: 'Request a ride' }).click(),
    ]);
    const idToken = await page.evaluate(() =>
      Object.entries(localStorage).find(([key]) => key.startsWith('CognitoIdentityServiceProvider.') && key.endsWith('.idToken'))?.[1],
    );
    expect(request.method()).toBe('POST');
    expect(request.headers().authorization).toBe(idToken);
    expect(JSON.parse(request.postData() ?? '{}')).toEqual({ PickupLocation: { Latitude: 47.6174755, Longitude: -122.28837 } });
    await expect.poll(() => page.locator('#ride-summary').textContent()).toMatch(/is on the way\. Arriving in 30 seconds\./);
    const answer = JSON.parse((await page.locator('#ride-json').textContent()) ?? '{}') as Record<string, unknown>;
    expect(answer).toMatchObject({ Rider: email, Eta: '30 seconds', Unicorn: { Name: expect.any(String) } });
    expect(await page.locator('#ride-summary').textContent()).toContain((answer.Unicorn as { Name: string }).Name);
    await shot('ride-requested');
    // The same page on a phone: nothing wider than the screen (long claims wrap, the table scrolls inside its box).
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('ride-requested-390');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Sign out: the tokens leave the browser, the API turns a token-less call away, the ride page sends to sign-in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin.html?signedout=1');
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('You are signed out.');
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => /idToken|accessToken|refreshToken|LastAuthUser/.test(k)));
    expect(left).toEqual([]);
    await shot('signed-out');
    const direct = await page.evaluate(async () => {
      const res = await fetch('/demo/api/ride', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return { status: res.status, body: (await res.json()) as unknown };
    });
    expect(direct).toEqual({ status: 401, body: { message: expect.stringContaining('Authorization') } });
    await page.goto(`${server.url}/ride.html`);
    await page.waitForURL('**/signin.html?next=ride');
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Please sign in to request a ride.');
    await shot('ride-after-sign-out');

    // The console: only the three 4xx answers provoked above; no CSP violation, no exception.
    expect(errors).toHaveLength(EXPECTED_NETWORK_ERRORS.length);
    EXPECTED_NETWORK_ERRORS.forEach((pattern, i) => expect(errors[i]).toMatch(pattern));
  });

  it('the pages fit a 390 px wide phone', async () => {
    const { page, errors, shot } = await watchedPage(browser, `${SUITE}-390`, { width: 390, height: 844 });
    for (const [path, name] of [['/', 'landing'], ['/verify.html', 'verify'], ['/signin.html', 'sign-in']] as const) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      await shot(`${name}-390`);
    }
    await page.goto(`${server.url}/register.html`);
    await page.getByLabel('Password', { exact: true }).fill('wild');
    await expect.poll(() => page.locator('#password-rules li.met').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const label of ['Email', 'Confirm password']) expect(await page.getByLabel(label).isVisible()).toBe(true);
    await shot('register-390');
    expect(errors).toEqual([]);
  });
});
