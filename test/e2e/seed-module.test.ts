import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ADMIN, startTestServer, type TestServer } from '../helpers/test-server.js';
import { launchBrowser, watchedPage } from './browser.js';

/**
 * The seed module as a newcomer meets it after `npm start`: a rider registers on the demo site with an
 * address nobody reads, cannot sign in yet, an administrator confirms them by hand in the console, and
 * the rider signs in and requests a ride. Two browser contexts: the rider's and the administrator's.
 */
const SUITE = 'seed-module';
const rider = { email: 'nobody-reads-this@example.com', password: 'Wild-Rydes-1' };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ demo: 'on', smtpUrl: undefined }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the seed module across the demo site and the console', () => {
  it('register on the site → confirmed by hand in the console → sign in and ride', async () => {
    const site = await watchedPage(browser, SUITE);
    const { poolId } = server.demo!;

    // The rider registers; the code goes to an address nobody reads.
    await site.page.goto(`${server.url}/register.html`);
    await site.page.getByLabel('Email').fill(rider.email);
    await site.page.getByLabel('Password', { exact: true }).fill(rider.password);
    await site.page.getByLabel('Confirm password').fill(rider.password);
    await site.page.getByRole('button', { name: 'Create account' }).click();
    await site.page.waitForURL('**/verify.html?**');
    await site.shot('registered');

    // Signing in before confirmation is refused, in words.
    await site.page.goto(`${server.url}/signin.html`);
    await site.page.getByLabel('Email').fill(rider.email);
    await site.page.getByLabel('Password').fill(rider.password);
    await site.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => site.page.getByRole('alert').textContent()).toMatch(/not (been )?confirmed|verify/i);
    await site.shot('not-confirmed-yet');
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: rider.email }))).UserStatus).toBe('UNCONFIRMED');

    // The administrator confirms the rider by hand in the console.
    const admin = await watchedPage(browser, `${SUITE}-console`);
    await admin.page.goto(`${server.url}/console/`);
    await admin.page.getByLabel('Username').fill(CONSOLE_ADMIN.username);
    await admin.page.getByLabel('Password', { exact: true }).fill(CONSOLE_ADMIN.password);
    await admin.page.getByRole('button', { name: 'Sign in' }).click();
    await admin.page.getByRole('link', { name: 'WildRydes' }).click();
    await admin.page.getByRole('link', { name: 'Users' }).click();
    await admin.page.getByLabel('Search by email prefix').fill('nobody-reads');
    await admin.page.getByRole('button', { name: 'Search' }).click();
    const row = admin.page.getByRole('row', { name: new RegExp(rider.email) });
    await row.getByText('UNCONFIRMED').waitFor();
    await admin.shot('found-rider');
    await row.getByRole('link').click();
    await admin.page.getByRole('button', { name: 'Confirm user' }).click();
    await admin.page.getByText('User confirmed: they can sign in now.').waitFor();
    await admin.shot('confirmed-rider');
    expect((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: rider.email }))).UserStatus).toBe('CONFIRMED');

    // The rider signs in and requests a ride from the protected API.
    await site.page.getByRole('button', { name: 'Sign in' }).click();
    await site.page.waitForURL('**/ride.html');
    await expect.poll(() => site.page.locator('#who').textContent()).toBe(rider.email);
    await site.page.getByRole('button', { name: 'Request a ride' }).click();
    await expect.poll(() => site.page.locator('#ride-summary').textContent()).toMatch(/is on the way/);
    await site.shot('ride');

    // Only the expected 4xx answers reached the consoles: the refused sign-in (site) and the SPA's
    // "nobody signed in yet" probe (console).
    expect(site.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    expect(site.errors).toHaveLength(1);
    expect(admin.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(admin.errors.length).toBeLessThanOrEqual(1);
  });
});
