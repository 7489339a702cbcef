import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { createApp, createUser, http, unique, USER_PASSWORD, type Admin, type TestUser } from '../admin/adminKit.js';
import { launchChromium, seriousViolations } from '../console/support/consoleBrowser.js';
import { bootstrapAdminToken, startTestServer } from '../support/tollgateServer.js';
import { pkcePair } from './support/formAgent.js';
import { redeem } from './support/codeFlow.js';

/**
 * The authorization code flow in Debian's chromium, with the page's real CSP (form-action
 * must let the consent form's redirect reach the client): sign in, consent, Grant, the code
 * at a real client callback; then consent remembered; then Cancel.
 */
describe('authorization_code in a real browser', function () {
  this.timeout(90_000);
  let admin: Admin;
  let user: TestUser;
  let browser: Browser;
  let page: Page;
  let client: Server;
  let callback: string;

  before(async () => {
    const server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300' });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
    user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    // The client application: a callback that shows what it received.
    client = createServer((req, res) => {
      const url = new URL(req.url!, 'http://localhost');
      if (url.pathname === '/start') {
        // A client page on another site (localhost, not 127.0.0.1) linking to the authorization endpoint.
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!doctype html><title>Client</title><a href="${url.searchParams.get('to')!.replace(/"/g, '&quot;')}">Sign in with Tollgate</a>`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`callback ${req.url}`);
    });
    await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', resolve));
    callback = `http://127.0.0.1:${(client.address() as AddressInfo).port}/callback`;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => client?.close(resolve));
    await admin?.server.stop();
  });

  const authorizeUrl = (clientId: string, challenge: string) =>
    `${admin.url}/oauth2-token/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: callback, code_challenge: challenge, code_challenge_method: 'S256', state: 'st-1' })}`;

  it('given a user without a session, when they sign in and press Grant, then the client gets a code that redeems; next time no consent is asked', async () => {
    const name = unique('Storefront Mobile');
    const app = await createApp(admin, { name, grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: [callback] });
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizeUrl(app.body.clientId, challenge));
    expect(await page.getByText(`Sign in to continue to "${name}".`).count()).to.equal(1);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(USER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `"${name}" wants to access your account.` }).waitFor();
    expect(await page.getByRole('list', { name: 'Resources' }).textContent()).to.contain('JSON:API');
    await page.getByRole('button', { name: 'Grant' }).click();
    await page.waitForURL(/\/callback\?/);
    const answer = new URL(page.url());
    expect(answer.searchParams.get('state')).to.equal('st-1');
    expect(answer.searchParams.get('iss')).to.equal(admin.server.config.issuer);
    const tokens = await redeem(admin.url, { clientId: app.body.clientId, clientSecret: app.body.clientSecret, redirectUri: callback }, {
      code: answer.searchParams.get('code')!, code_verifier: verifier, redirect_uri: callback,
    });
    expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);

    await page.goto(authorizeUrl(app.body.clientId, pkcePair().challenge));
    await page.waitForURL(/\/callback\?/);
    expect(new URL(page.url()).searchParams.get('code')).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('given a signed-in user, when a client on another site links to the authorization endpoint, then the session is recognised (no second sign-in)', async () => {
    const port = (client.address() as AddressInfo).port;
    const crossSiteCallback = `http://localhost:${port}/callback`;
    const app = await createApp(admin, { name: unique('Partner'), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: [crossSiteCallback], skipConsent: true });
    const to = `${admin.url}/oauth2-token/authorize?${new URLSearchParams({ response_type: 'code', client_id: app.body.clientId, redirect_uri: crossSiteCallback, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' })}`;
    await page.goto(`http://localhost:${port}/start?${new URLSearchParams({ to })}`);
    await page.getByRole('link', { name: 'Sign in with Tollgate' }).click();
    await page.waitForURL(/localhost:\d+\/callback\?/);
    expect(new URL(page.url()).searchParams.get('code')).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('given the sign-in page with its prompt and the consent page, then axe finds no serious or critical violation', async () => {
    const app = await createApp(admin, { name: unique('Axe'), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: [callback] });
    // axe is injected as an inline script, which the pages' CSP (rightly) refuses.
    const context = await browser.newContext({ bypassCSP: true });
    const axePage = await context.newPage();
    await axePage.goto(authorizeUrl(app.body.clientId, pkcePair().challenge));
    expect(await seriousViolations(axePage)).to.deep.equal([]);
    await axePage.getByLabel('Username').fill(user.username);
    await axePage.getByLabel('Password').fill(USER_PASSWORD);
    await axePage.getByRole('button', { name: 'Sign in' }).click();
    await axePage.getByRole('button', { name: 'Grant' }).waitFor();
    expect(await seriousViolations(axePage)).to.deep.equal([]);
    await context.close();
  });

  it('given a storefront application, when a customer arriving from another site signs in on its sign-in page and presses Grant, then the client gets a code that redeems for the customer', async () => {
    const username = unique('shopper');
    const created = await http(admin.url, 'POST', '/admin/users', {
      token: admin.token,
      body: { username, email: `${username}@example.test`, password: USER_PASSWORD, kind: 'customer', roles: ['user'], organizationIds: [admin.orgA] },
    });
    expect(created.status).to.equal(201);
    const port = (client.address() as AddressInfo).port;
    const shopCallback = `http://localhost:${port}/callback`;
    const name = unique('Shop');
    const app = await createApp(admin, { name, frontend: true, grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: [shopCallback] });
    const { verifier, challenge } = pkcePair();
    const to = `${admin.url}/oauth2-token/authorize?${new URLSearchParams({ response_type: 'code', client_id: app.body.clientId, redirect_uri: shopCallback, code_challenge: challenge, code_challenge_method: 'S256', state: 'shop-1' })}`;
    const shopper = await (await browser.newContext()).newPage();
    await shopper.goto(`http://localhost:${port}/start?${new URLSearchParams({ to })}`);
    await shopper.getByRole('link', { name: 'Sign in with Tollgate' }).click();
    expect(await shopper.getByText(`Sign in to continue to "${name}".`).count()).to.equal(1);
    await shopper.getByLabel('Username').fill(username);
    await shopper.getByLabel('Password').fill(USER_PASSWORD);
    await shopper.getByRole('button', { name: 'Sign in' }).click();
    await shopper.getByRole('heading', { name: `"${name}" wants to access your account.` }).waitFor();
    expect(await shopper.getByRole('list', { name: 'Resources' }).textContent()).to.contain('Storefront API');
    await shopper.getByRole('button', { name: 'Grant' }).click();
    await shopper.waitForURL(/localhost:\d+\/callback\?/);
    const answer = new URL(shopper.url());
    expect(answer.searchParams.get('state')).to.equal('shop-1');
    const tokens = await redeem(admin.url, { clientId: app.body.clientId, clientSecret: app.body.clientSecret, redirectUri: shopCallback }, {
      code: answer.searchParams.get('code')!, code_verifier: verifier, redirect_uri: shopCallback,
    });
    expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);
    expect(JSON.parse(Buffer.from(tokens.body.access_token.split('.')[1], 'base64url').toString()).sub).to.equal(created.body.id);
    // The browser holds no console session.
    const cookies = await shopper.context().cookies(`${admin.url}/console/authorize`);
    expect(cookies.map((c) => c.name)).to.not.include('tollgate_console');
    expect(cookies.find((c) => c.name === 'tollgate_storefront_authorize')).to.include({ path: '/console/authorize', httpOnly: true, sameSite: 'Lax' });
    await shopper.context().close();
  });

  it('given the consent page, when the user presses Cancel, then the client gets access_denied', async () => {
    const name = unique('Reporting');
    const app = await createApp(admin, { name, grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: [callback] });
    await page.goto(authorizeUrl(app.body.clientId, pkcePair().challenge));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/\/callback\?/);
    expect(new URL(page.url()).searchParams.get('error')).to.equal('access_denied');
  });
});
