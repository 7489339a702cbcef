import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, bootstrapAdminToken, clientToken, http, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { launchChromium, seriousViolations, signIn } from './support/consoleBrowser.js';

/**
 * The back-office console in Debian's chromium against a real server: the journeys of the
 * product documents, the session ending through the existing checks, and axe on every page.
 */
describe('console in a real browser', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let adminToken: string;
  const axeFindings: Array<{ url: string; violations: unknown[] }> = [];
  const checkAxe = async (p: Page) => {
    const violations = await seriousViolations(p);
    if (violations.length > 0) axeFindings.push({ url: p.url(), violations });
  };
  let created: { clientId: string; clientSecret: string; name: string };

  before(async () => {
    server = await startTestServer();
    adminToken = await bootstrapAdminToken(server.url);
    browser = await launchChromium();
    // axe is injected as an inline script, which the console's CSP (rightly) refuses.
    // Reduced motion: Bootstrap's fades off, so axe never sees a half-faded dialog.
    admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, reducedMotion: 'reduce' });
    page = await admin.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('given no session, /console/ shows the sign-in page; when the administrator signs in, then My User opens', async () => {
    await page.goto(`${server.url}/console/`);
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).to.equal(1);
    expect(await page.getByLabel('Username').count()).to.equal(1);
    expect(await page.getByLabel('Password').count()).to.equal(1);
    await checkAxe(page);
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    expect(new URL(page.url()).pathname).to.equal('/console/me');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('My User');
    expect(await page.locator('header').count()).to.equal(1);
    expect(await page.locator('nav[aria-label="Main"]').textContent()).to.contain('System › User Management');
    await checkAxe(page);
  });

  it('when Add Application is saved on My User, then the dialog shows the secret once, and it obtains a token', async () => {
    await page.getByRole('button', { name: 'Add Application' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create OAuth Application' });
    await dialog.waitFor();
    await checkAxe(page);
    await dialog.getByLabel('Application Name').fill('Warehouse sync');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const shown = page.getByRole('dialog', { name: 'Create OAuth Application' });
    await shown.getByLabel('Client Secret').waitFor();
    const clientId = await shown.getByLabel('Client ID').inputValue();
    const clientSecret = await shown.getByLabel('Client Secret').inputValue();
    expect(await shown.getByRole('button', { name: 'Copy to Clipboard' }).count()).to.equal(2);
    expect(await shown.textContent()).to.match(/displayed only once/);
    created = { clientId, clientSecret, name: 'Warehouse sync' };
    await checkAxe(page);

    const token = await clientToken(server.url, clientId, clientSecret);
    expect(token.status).to.equal(200);

    await page.reload();
    expect(await page.content()).not.to.contain(clientSecret);
    expect(await page.getByRole('cell', { name: 'Warehouse sync' }).count()).to.equal(1);
  });

  it('when the system grid is filtered by name, then only matching applications are listed, and the filter stays in the URL', async () => {
    await page.goto(`${server.url}/console/oauth-applications`);
    await checkAxe(page);
    await page.getByLabel('Application Name').fill('warehouse');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/name=warehouse/);
    const names = await page.locator('tbody tr td:first-child').allTextContents();
    expect(names.map((n) => n.trim())).to.deep.equal(['Warehouse sync']);
    await page.getByLabel('Application Name').fill('no such application');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('There are no OAuth Applications').waitFor();
  });

  it('when More Options → Deactivate is confirmed, then the flash says so and the client gets 401', async () => {
    await page.goto(`${server.url}/console/oauth-applications?name=warehouse`);
    await page.getByText('More Options').first().click();
    await page.getByRole('link', { name: 'Deactivate' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Are you sure you want to deactivate the application?').waitFor();
    await checkAxe(page);
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('status').getByText('Deactivated successfully').waitFor();
    const token = await clientToken(server.url, created.clientId, created.clientSecret);
    expect(token.status).to.equal(401);
  });

  it('when the History tab is opened, then the deactivation shows with the user name and the console', async () => {
    await page.getByRole('link', { name: 'Warehouse sync' }).click();
    await page.getByRole('heading', { level: 1 }).getByText('Inactive').waitFor();
    await checkAxe(page);
    await page.getByRole('link', { name: 'History' }).click();
    const row = page.locator('tbody tr', { hasText: 'Deactivated' });
    expect(await row.textContent()).to.contain('admin').and.to.contain('console');
    await checkAxe(page);
    await page.getByRole('link', { name: 'Tokens' }).click();
    expect(await page.locator('tbody tr').count()).to.be.at.least(1);
    await checkAxe(page);
  });

  it('when a moment is chosen in the History tab\'s as-of picker, then the application as it was then shows; before it existed, the page says so', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    const picker = page.getByLabel('Date and time (UTC)');
    expect(await picker.getAttribute('type')).to.equal('datetime-local');
    await picker.fill(new Date().toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Show' }).click();
    const result = page.locator('#as-of-result');
    await result.waitFor();
    expect(await result.textContent()).to.contain('UTC').and.contain('Inactive');
    expect(await page.locator('dl[aria-labelledby="as-of-result"]').textContent()).to.contain('Warehouse sync').and.contain('Current');
    await checkAxe(page);
    await page.getByLabel('Date and time (UTC)').fill('2001-01-01T00:00:00');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('This application did not exist yet on 2001-01-01 00:00:00 UTC.').waitFor();
  });

  it('when the Tokens tab is opened, then its chart is an image named for what it counts, per hour and per day', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByRole('img', { name: /Token events \(tokens issued and revoked, authorization codes issued\) per hour/ }).waitFor();
    await checkAxe(page);
    await page.getByRole('link', { name: 'Per day' }).click();
    await page.getByRole('img', { name: /Token events \(tokens issued and revoked, authorization codes issued\) per day/ }).waitFor();
    expect(await page.getByLabel('From (UTC)').getAttribute('type')).to.equal('datetime-local');
    await checkAxe(page);
  });

  it('when More Options → Edit is saved in the My User dialog, then only the shown fields change', async () => {
    const appId = new URL(page.url()).pathname.split('/')[3]!;
    expect((await http(server.url, 'PATCH', `/admin/oauth-applications/${appId}`, { token: adminToken, body: { description: 'Nightly stock export' } })).status).to.equal(200);
    await page.goto(`${server.url}/console/me`);
    await page.getByRole('row', { name: /Warehouse sync/ }).getByText('More Options').click();
    await page.getByRole('link', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit OAuth Application' });
    await dialog.waitFor();
    // The menu does not stay open behind the dialog, and closing the dialog returns to its button.
    expect(await page.locator('details.tg-menu[open]').count()).to.equal(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Focus moves when Bootstrap's hidden event fires, just after the dialog is hidden.
    await page.locator('details.tg-menu summary:focus').waitFor();
    expect(await page.locator(':focus').textContent()).to.equal('More Options');
    await page.getByRole('row', { name: /Warehouse sync/ }).getByText('More Options').click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await dialog.waitFor();
    await checkAxe(page);
    await dialog.getByLabel('Application Name').fill('Warehouse sync (EU)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved successfully').waitFor();
    expect(new URL(page.url()).pathname).to.equal('/console/me');
    const after = await http(server.url, 'GET', `/admin/oauth-applications/${appId}`, { token: adminToken });
    expect(after.body).to.include({ name: 'Warehouse sync (EU)', description: 'Nightly stock export', allApis: true });
    await page.goto(`${server.url}/console/oauth-applications/${appId}`);
  });

  it('every other page passes axe (no serious or critical violations)', async () => {
    const appId = new URL(page.url()).pathname.split('/')[3]!;
    for (const path of [
      '/console/oauth-applications/new',
      `/console/oauth-applications/${appId}/edit`,
      `/console/oauth-applications/${appId}/rotate-secret`,
      `/console/oauth-applications/${appId}/delete`,
      '/console/users',
      '/console/users/new',
      '/console/organizations',
      '/console/organizations/new',
      `/console/organizations/${(await http(server.url, 'GET', '/admin/organizations', { token: adminToken })).body.items[0].id}/edit`,
      `/console/users/${server.tollgate.bootstrap!.adminUserId}/edit`,
      `/console/oauth-applications/${appId}/credentials`,
      '/console/notification-jobs',
      '/console/oauth-applications/no-such-application',
    ]) {
      await page.goto(`${server.url}${path}`);
      await checkAxe(page);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/console/oauth-applications`);
    await checkAxe(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    const summary = axeFindings.map((f) => ({ url: new URL(f.url).pathname, violations: (f.violations as Array<{ id: string; nodes: Array<{ target: string[] }> }>).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`) }));
    expect(summary, JSON.stringify(summary, null, 1)).to.deep.equal([]);
  });

  describe('the storefront side', () => {
    let customerId: string;
    before(async () => {
      const orgs = await http(server.url, 'GET', '/admin/organizations', { token: adminToken });
      const user = await http(server.url, 'POST', '/admin/users', {
        token: adminToken,
        body: { username: 'shopper', email: 'shopper@example.com', password: 'shopper-password', kind: 'customer', roles: ['user'], organizationIds: [orgs.body.items[0].id] },
      });
      expect(user.status).to.equal(201);
      customerId = user.body.id;
    });

    it("when Add Application is saved on a customer user's page, then the storefront grid lists it and the system grid does not", async () => {
      await page.goto(`${server.url}/console/customer-users`);
      await checkAxe(page);
      await page.getByRole('link', { name: 'shopper' }).click();
      await page.waitForURL(new RegExp(`/console/users/${customerId}$`));
      await page.getByRole('button', { name: 'Add Application' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create OAuth Application' });
      await dialog.getByLabel('Application Name').fill('Shop checkout');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('dialog', { name: 'Create OAuth Application' }).getByLabel('Client Secret').waitFor();
      await checkAxe(page);

      await page.goto(`${server.url}/console/customer-user-oauth-applications`);
      expect((await page.locator('tbody tr td:first-child').allTextContents()).map((t) => t.trim())).to.deep.equal(['Shop checkout']);
      await checkAxe(page);
      await page.goto(`${server.url}/console/oauth-applications?name=shop`);
      await page.getByText('There are no OAuth Applications').waitFor();
      const row = await http(server.url, 'GET', '/admin/oauth-applications?name=shop', { token: adminToken });
      expect(row.body.items[0]).to.include({ ownerUserId: customerId, frontend: true });
    });

    it("given the storefront Create page, then its User field lists customer users only", async () => {
      await page.goto(`${server.url}/console/customer-user-oauth-applications/new`);
      const options = (await page.getByLabel('User', { exact: true }).locator('option').allTextContents()).slice(1);
      expect(options).to.deep.equal(['shopper']);
      await checkAxe(page);
      expect(axeFindings).to.deep.equal([]);
    });
  });

  describe('email templates and notification rules', () => {
    it('given an unknown variable, then the API\'s error shows next to the field; a valid subject saves and previews with sample values', async () => {
      await page.goto(`${server.url}/console/email-templates`);
      await checkAxe(page);
      await page.getByRole('link', { name: 'user_oauth_application_created', exact: true }).click();
      await page.getByLabel('Subject').fill('New app {{nope}}');
      await page.getByRole('button', { name: 'Save' }).click();
      const subject = page.getByLabel('Subject');
      const describedBy = await subject.getAttribute('aria-describedby');
      expect(await page.locator(`#${describedBy}`).textContent()).to.contain('Unknown variable "nope"');
      await checkAxe(page);
      await subject.fill('New application: {{applicationName}}');
      await page.getByRole('button', { name: 'Preview' }).click();
      expect(await page.getByRole('region', { name: 'Preview (sample values)' }).textContent()).to.contain('New application: Warehouse sync');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').getByText('Template saved').waitFor();
      const saved = await http(server.url, 'GET', '/admin/email-templates/user_oauth_application_created', { token: adminToken });
      expect(saved.body.locales.en.subject).to.equal('New application: {{applicationName}}');
    });

    it('given a bad address in a notification rule, then the error shows next to the field and nothing is saved', async () => {
      await page.goto(`${server.url}/console/notification-rules/oauth-application-created`);
      await page.getByLabel('Other recipients (one address per line)').fill('not-an-address');
      await page.getByRole('button', { name: 'Save' }).click();
      expect(await page.locator('#addresses-error').textContent()).to.contain('is not a valid email address');
      await checkAxe(page);
      const rule = await http(server.url, 'GET', '/admin/notification-rules/oauth-application-created', { token: adminToken });
      expect(rule.body.recipients.addresses).to.deep.equal([]);
      expect(axeFindings).to.deep.equal([]);
    });
  });

  describe('a plain user', () => {
    let plain: BrowserContext;
    let plainPage: Page;
    let plainId: string;
    const cspReports: string[] = [];
    before(async () => {
      const orgs = await http(server.url, 'GET', '/admin/organizations', { token: adminToken });
      const user = await http(server.url, 'POST', '/admin/users', {
        token: adminToken,
        body: { username: 'plain', email: 'plain@example.com', password: 'plain-password-1', kind: 'backOffice', roles: ['user'], organizationIds: [orgs.body.items[0].id] },
      });
      expect(user.status).to.equal(201);
      plainId = user.body.id;
      plain = await browser.newContext();
      plainPage = await plain.newPage();
      plainPage.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspReports.push(message.text());
      });
      await signIn(plainPage, server.url, 'plain', 'plain-password-1');
    });

    it('given the CSP in force, then the pages run with no violation (no inline script or style)', async () => {
      for (const path of ['/console/oauth-applications', '/console/me']) await plainPage.goto(`${server.url}${path}`);
      await plainPage.getByRole('button', { name: 'Add Application' }).click();
      await plainPage.getByRole('dialog', { name: 'Create OAuth Application' }).waitFor();
      expect(cspReports).to.deep.equal([]);
    });

    it('by keyboard: Enter opens the dialog, Shift+Tab stays inside it, Escape closes it and focus returns to the button', async () => {
      await plainPage.goto(`${server.url}/console/me`);
      const trigger = plainPage.getByRole('button', { name: 'Add Application' });
      await trigger.focus();
      await plainPage.keyboard.press('Enter');
      const dialog = plainPage.getByRole('dialog', { name: 'Create OAuth Application' });
      await dialog.waitFor();
      await plainPage.waitForFunction(() => (globalThis as any).document.activeElement?.closest('.modal.show') != null);
      // Backwards through the dialog and past its first field: the page behind is never reached.
      for (let i = 0; i < 8; i++) {
        await plainPage.keyboard.press('Shift+Tab');
        expect(await plainPage.evaluate(() => (globalThis as any).document.activeElement?.closest('.modal') != null), `after ${i + 1} Shift+Tab`).to.equal(true);
      }
      await plainPage.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await plainPage.waitForFunction(() => (globalThis as any).document.activeElement?.textContent === 'Add Application');
    });

    it("cannot open another user's application page (404)", async () => {
      const grid = await http(server.url, 'GET', '/admin/oauth-applications?name=warehouse', { token: adminToken });
      const response = await plainPage.goto(`${server.url}/console/oauth-applications/${grid.body.items[0].id}`);
      expect(response?.status()).to.equal(404);
    });

    it('given a POST without a CSRF token, then 403 and nothing changes', async () => {
      const cookies = await plain.cookies(`${server.url}/console/me`);
      const session = cookies.find((c) => c.name === 'tollgate_console')!;
      expect(session.httpOnly).to.equal(true);
      expect(session.sameSite).to.equal('Strict');
      expect(session.path).to.equal('/console');
      const res = await fetch(`${server.url}/console/me/oauth-applications`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `tollgate_console=${session.value}` },
        body: new URLSearchParams({ name: 'Sneaky', active: 'on', allApis: 'on' }),
      });
      expect(res.status).to.equal(403);
      const mine = await http(server.url, 'GET', `/admin/users/${plainId}/oauth-applications`, { token: adminToken });
      expect(mine.body.items).to.deep.equal([]);
    });

    it('when the user is locked, then their console session ends at the next request', async () => {
      await plainPage.goto(`${server.url}/console/me`);
      expect(new URL(plainPage.url()).pathname).to.equal('/console/me');
      const locked = await http(server.url, 'PATCH', `/admin/users/${plainId}`, { token: adminToken, body: { locked: true } });
      expect(locked.status).to.equal(200);
      await plainPage.goto(`${server.url}/console/me`);
      expect(new URL(plainPage.url()).pathname).to.equal('/console/');
      await plainPage.getByText('Your session has ended').waitFor();
    });
  });
});
