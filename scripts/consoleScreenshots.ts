/**
 * npm run screenshots: starts a throwaway Tollgate (temp DATA_DIR), seeds a few users and
 * applications, and saves a PNG of each console screen to docs/screenshots/ with Debian's
 * chromium (1280 px wide; a few also at 390 px).
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, bootstrapAdminToken, clientToken, http, startTestServer } from '../test/support/tollgateServer.js';
import { launchChromium, signIn } from '../test/console/support/consoleBrowser.js';

const out = join(process.cwd(), 'docs', 'screenshots');
await mkdir(out, { recursive: true });
const HOUR = 3_600_000;
// The seed happens over the last day (the server's clock is moved), so the Tokens chart and the
// History "as of" view have a day of traffic to show; the screens are then taken in real time.
let seedClock: number | undefined = Date.now() - 24 * HOUR;
const server = await startTestServer({}, { now: () => new Date(seedClock ?? Date.now()) });
const browser = await launchChromium();
try {
  let token = await bootstrapAdminToken(server.url);
  const org = (await http(server.url, 'GET', '/admin/organizations', { token })).body.items[0].id as string;
  const emea = await http(server.url, 'POST', '/admin/organizations', { token, body: { name: 'EMEA Sales' } });
  const jane = await http(server.url, 'POST', '/admin/users', {
    token,
    body: { username: 'jane.doe', email: 'jane@example.com', password: 'jane-password-1', kind: 'backOffice', roles: ['user'], organizationIds: [org, emea.body.id] },
  });
  const seeded: Array<{ id: string; clientId: string; clientSecret: string }> = [];
  for (const [name, owner, grants] of [
    ['Warehouse sync', jane.body.id, ['client_credentials']],
    ['ERP connector', jane.body.id, ['client_credentials']],
    ['Mobile app', undefined, ['password']],
  ] as const) {
    const created = await http(server.url, 'POST', '/admin/oauth-applications', {
      token,
      body: { name, grants: [...grants], ...(owner && { ownerUserId: owner }), description: `${name} (example)` },
    });
    seeded.push(created.body);
  }
  // A day of Warehouse sync tokens, busier in working hours; renamed and rotated (a day's grace)
  // three hours ago, after which both secrets are in use.
  const warehouse = seeded[0]!;
  let secret = warehouse.clientSecret;
  const previous = warehouse.clientSecret;
  let asOfMoment = '';
  for (let hour = 0; hour < 24; hour += 1) {
    const start = Date.now() - (24 - hour) * HOUR;
    if (hour === 21) {
      seedClock = start;
      const fresh = await bootstrapAdminToken(server.url);
      await http(server.url, 'PATCH', `/admin/oauth-applications/${warehouse.id}`, { token: fresh, body: { name: 'Warehouse sync (EU)' } });
      secret = (await http(server.url, 'POST', `/admin/oauth-applications/${warehouse.id}/rotate-secret`, { token: fresh, body: { graceSeconds: 86_400 } })).body.clientSecret;
      asOfMoment = new Date(start + HOUR / 2).toISOString().slice(0, 19);
    }
    const count = Math.round(3 + 9 * Math.max(0, Math.sin(((hour - 4) / 24) * 2 * Math.PI)));
    for (let i = 0; i < count; i += 1) {
      seedClock = start + 60_000 + i * Math.floor((HOUR - 120_000) / count);
      // After the rotation, one token in three still comes with the previous secret.
      const used = hour >= 21 && i % 3 === 0 ? previous : secret;
      await clientToken(server.url, warehouse.clientId, used);
    }
  }
  seedClock = undefined;
  // The first token was issued a day ago on the seed clock: it has expired by now.
  token = await bootstrapAdminToken(server.url);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  const shot = async (p: Page, name: string) => {
    await p.waitForLoadState('networkidle');
    await p.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  };
  const go = (path: string) => page.goto(`${server.url}${path}`);

  await go('/console/');
  await shot(page, 'sign-in');
  await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
  await shot(page, 'my-user');
  await page.getByRole('button', { name: 'Add Application' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create OAuth Application' });
  await dialog.waitFor();
  await page.waitForTimeout(400); // the fade-in
  await shot(page, 'my-user-add-application');
  await dialog.getByLabel('Application Name').fill('Reporting export');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('dialog', { name: 'Create OAuth Application' }).getByLabel('Client Secret').waitFor();
  await page.waitForTimeout(400);
  await shot(page, 'my-user-credentials');

  await go('/console/oauth-applications');
  await shot(page, 'oauth-applications');
  await page.getByText('More Options').first().click();
  await shot(page, 'oauth-applications-more-options');
  await page.getByRole('link', { name: 'Deactivate' }).first().click();
  await page.getByRole('dialog').waitFor();
  await page.waitForTimeout(400);
  await shot(page, 'oauth-applications-deactivate-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
  await page.getByText('Deactivated successfully').waitFor();
  await shot(page, 'oauth-applications-deactivated');
  await go('/console/oauth-applications?name=nothing-matches');
  await shot(page, 'oauth-applications-empty');

  await go('/console/oauth-applications/new');
  await shot(page, 'create-oauth-application');
  await page.getByLabel('Application Name').fill('Billing sync');
  await page.getByLabel('User', { exact: true }).selectOption({ label: 'jane.doe' });
  await page.getByRole('button', { name: 'Save and Close' }).click();
  await page.getByLabel('Temporary access token').waitFor();
  await shot(page, 'oauth-application-created');
  const appPath = new URL(page.url()).pathname.replace(/\/credentials$/, '');
  await go(appPath);
  await shot(page, 'oauth-application-view');
  await go(`${appPath}/edit`);
  await page.getByLabel('Application Name').fill('Billing sync (EU)');
  await page.getByRole('button', { name: 'Save' }).click();
  await go(`${appPath}?tab=history`);
  await shot(page, 'oauth-application-history');
  await go(`${appPath}?tab=tokens`);
  await shot(page, 'oauth-application-tokens');
  // Warehouse sync: a day of tokens, renamed and rotated three hours ago.
  const warehousePath = `/console/oauth-applications/${warehouse.id}`;
  await go(`${warehousePath}?tab=history`);
  await page.getByLabel('Date and time (UTC)').fill(asOfMoment);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText('Previous (grace period)').waitFor();
  await shot(page, 'oauth-application-history-as-of');
  await go(`${warehousePath}?tab=tokens&perPage=10`);
  await page.getByRole('img', { name: /Token events/ }).waitFor();
  await shot(page, 'oauth-application-tokens-chart');
  await go(`${warehousePath}?tab=tokens&perPage=10&chart=day`);
  await shot(page, 'oauth-application-tokens-chart-per-day');
  await go(`${appPath}/edit`);
  await shot(page, 'oauth-application-edit');
  await go(`${appPath}/rotate-secret`);
  await shot(page, 'oauth-application-rotate-secret');

  await go('/console/users');
  await shot(page, 'users');
  await go(`/console/users/${jane.body.id}`);
  await shot(page, 'user-view');
  await go(`/console/users/${jane.body.id}/edit`);
  await shot(page, 'user-edit');
  await go('/console/users/new');
  await shot(page, 'user-create');
  await go('/console/organizations');
  await shot(page, 'organizations');
  await go('/console/organizations/new');
  await shot(page, 'organization-create');

  await go('/console/me');
  await page.getByRole('row', { name: /Reporting export/ }).getByText('More Options').click();
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('dialog', { name: 'Edit OAuth Application' }).waitFor();
  await page.waitForTimeout(400);
  await shot(page, 'my-user-edit-dialog');

  const shopper = await http(server.url, 'POST', '/admin/users', {
    token,
    body: { username: 'shopper', email: 'shopper@example.com', password: 'shopper-password', kind: 'customer', roles: ['user'], organizationIds: [org] },
  });
  if (shopper.status !== 201) throw new Error(`creating the customer user answered ${shopper.status}`);
  await http(server.url, 'POST', '/admin/oauth-applications', { token, body: { name: 'Storefront checkout', grants: ['client_credentials'], ownerUserId: shopper.body.id } });
  await go('/console/customer-users');
  await shot(page, 'customer-users');
  await go(`/console/users/${shopper.body.id}`);
  await shot(page, 'customer-user-view');
  await go('/console/customer-user-oauth-applications');
  await shot(page, 'customer-user-oauth-applications');
  await go('/console/customer-user-oauth-applications/new');
  await shot(page, 'customer-user-oauth-application-create');

  await go('/console/email-templates');
  await shot(page, 'emails');
  await go('/console/email-templates/user_oauth_application_created');
  await page.getByLabel('Subject').fill('New application {{nope}}');
  await page.getByRole('button', { name: 'Save' }).click();
  await shot(page, 'email-template-error');
  await go('/console/email-templates/user_oauth_application_created?locale=de');
  await shot(page, 'email-template-preview');
  await go('/console/notification-rules/oauth-application-created');
  await shot(page, 'notification-rule');

  // A notification that failed for good (its owner's address cannot be sent to), the list of
  // failed notifications, then the same list after the address is fixed and Retry is pressed.
  const jurgen = await http(server.url, 'POST', '/admin/users', {
    token,
    body: { username: 'juergen', email: 'jürgen@example.com', password: 'juergen-password-1', kind: 'backOffice', roles: ['user'], organizationIds: [org] },
  });
  await http(server.url, 'POST', '/admin/oauth-applications', { token, body: { name: 'Label printer', grants: ['client_credentials'], ownerUserId: jurgen.body.id } });
  for (let i = 0; i < 200 && (await http(server.url, 'GET', '/admin/notification-jobs', { token })).body.failed.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  await go('/console/notification-jobs');
  await shot(page, 'notification-jobs');
  await http(server.url, 'PATCH', `/admin/users/${jurgen.body.id}`, { token, body: { email: 'juergen@example.com' } });
  await page.getByRole('button', { name: /^Retry notification/ }).first().click();
  await page.waitForLoadState('domcontentloaded');
  await shot(page, 'notification-jobs-retried');

  // The authorization endpoint (authorization_code + PKCE), in a browser with no session: the
  // sign-in page, then Oro's consent page for a third-party application.
  const mobile = await http(server.url, 'POST', '/admin/oauth-applications', {
    token: await bootstrapAdminToken(server.url),
    body: { name: 'Mobile Sales App', grants: ['authorization_code'], ownerUserId: jane.body.id, redirectUris: ['https://mobile.example.com/callback'], confidential: false },
  });
  if (mobile.status !== 201) throw new Error(`creating the authorization-code application: ${mobile.status} ${JSON.stringify(mobile.body)}`);
  const visitor = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const challenge = createHash('sha256').update('a-verifier-of-forty-three-characters-or-more-0123').digest('base64url');
  await visitor.goto(
    `${server.url}/oauth2-token/authorize?${new URLSearchParams({ response_type: 'code', client_id: mobile.body.clientId as string, redirect_uri: 'https://mobile.example.com/callback', code_challenge: challenge, code_challenge_method: 'S256', state: 's' })}`,
  );
  await visitor.getByText('Sign in to continue to "Mobile Sales App".').waitFor();
  await shot(visitor, 'authorize-sign-in');
  await visitor.getByLabel('Username').fill('jane.doe');
  await visitor.getByLabel('Password').fill('jane-password-1');
  await visitor.getByRole('button', { name: 'Sign in' }).click();
  await visitor.getByRole('heading', { name: '"Mobile Sales App" wants to access your account.' }).waitFor();
  await shot(visitor, 'authorize-consent');

  await page.setViewportSize({ width: 390, height: 844 });
  await go('/console/oauth-applications');
  await shot(page, 'oauth-applications-390px');
  await go('/console/me');
  await shot(page, 'my-user-390px');
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
