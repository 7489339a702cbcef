import { expect } from 'chai';
import { createApp, createUser, http, unique, USER_PASSWORD, type Admin, type TestUser } from '../admin/adminKit.js';
import { bootstrapAdminToken, startTestServer } from '../support/tollgateServer.js';
import { createFormAgent, hiddenField, pkcePair, type AgentResponse, type FormAgent } from './support/formAgent.js';
import { authorizePath, followToDecision, redeem, redirectParams, standardQuery, type FlowApp } from './support/codeFlow.js';

/**
 * A storefront application's users are customers: they sign in at the authorization endpoint
 * with the password grant's rule into an authorize-only session (no console session), and
 * consent and get a code there. Through a real server over real sockets.
 */
describe('authorization_code on a storefront application (customer users)', function () {
  this.timeout(60_000);
  let admin: Admin;
  let customer: { id: string; username: string };
  let backOffice: TestUser;
  let storefront: FlowApp & { id: string; name: string };
  let backOfficeApp: FlowApp & { id: string; name: string };

  const createCustomer = async () => {
    const username = unique('customer');
    const created = await http(admin.url, 'POST', '/admin/users', {
      token: admin.token,
      body: { username, email: `${username}@example.test`, password: USER_PASSWORD, kind: 'customer', roles: ['user'], organizationIds: [admin.orgA] },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    return { id: created.body.id as string, username };
  };
  const codeApp = async (body: Record<string, unknown>) => {
    const name = unique('shop-app');
    const res = await createApp(admin, { name, grants: ['authorization_code'], organizationId: admin.orgA, ...body });
    return { id: res.body.id, name, clientId: res.body.clientId, clientSecret: res.body.clientSecret, redirectUri: (body.redirectUris as string[])[0]! };
  };
  const userEvents = async (userId: string) =>
    (await admin.server.tollgate.store.readStream(`user-${userId}`)).map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, via: e.metadata.via }));

  /** The storefront sign-in form of a parked request, posted with these credentials. */
  const signInAt = async (agent: FormAgent, page: AgentResponse, username: string, password: string) => {
    expect(page.body).to.contain('action="/console/authorize/sign-in"');
    return agent.post('/console/authorize/sign-in', {
      _csrf: hiddenField(page.body, '_csrf')!, continue: hiddenField(page.body, 'continue')!, username, password,
    });
  };
  const start = async (agent: FormAgent, app: FlowApp) => {
    const { verifier, challenge } = pkcePair();
    const first = await agent.get(authorizePath(standardQuery(app, challenge)));
    expect(first.status).to.equal(303);
    return { verifier, location: first.location!, page: await agent.get(first.location!) };
  };

  before(async () => {
    const server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300' });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
    customer = await createCustomer();
    backOffice = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    storefront = await codeApp({ frontend: true, redirectUris: ['https://shop.example/cb'] });
    backOfficeApp = await codeApp({ redirectUris: ['https://office.example/cb'] });
  });
  after(async () => admin?.server.stop());

  it('given a customer without a session, when they sign in on the storefront sign-in and grant, then the code redeems for their storefront tokens, through an authorize-only session that is no console session', async () => {
    const agent = createFormAgent(admin.url);
    const { verifier, location, page } = await start(agent, storefront);
    expect(page.status).to.equal(200);
    expect(page.body).to.contain(`Sign in to continue to &quot;${storefront.name}&quot;.`);

    const signedIn = await signInAt(agent, page, customer.username, USER_PASSWORD);
    expect(signedIn.status, signedIn.body).to.equal(303);
    expect(signedIn.location).to.equal(location);
    const cookies = [signedIn.headers['set-cookie']].flat().filter((c): c is string => typeof c === 'string');
    const session = cookies.find((c) => c.startsWith('tollgate_storefront_authorize='));
    expect(session).to.match(/^tollgate_storefront_authorize=[A-Za-z0-9_-]{43}; Path=\/console\/authorize; HttpOnly; SameSite=Lax; Max-Age=3600$/);
    expect(cookies.some((c) => c.startsWith('tollgate_console='))).to.equal(false);

    const consent = await agent.get(signedIn.location!);
    expect(consent.body).to.contain(`"${storefront.name}" wants to access your account.`);
    expect(consent.body).to.contain('action="/console/authorize/decision"');
    expect(consent.body).to.contain('Storefront API');
    const params = redirectParams(await agent.post('/console/authorize/decision', {
      _csrf: hiddenField(consent.body, '_csrf')!, request: hiddenField(consent.body, 'request')!, decision: 'grant',
    }));
    expect(params.get('iss')).to.equal(admin.server.config.issuer);
    const tokens = await redeem(admin.url, storefront, { code: params.get('code')!, code_verifier: verifier, redirect_uri: storefront.redirectUri });
    expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);
    const claims = JSON.parse(Buffer.from(tokens.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims.sub).to.equal(customer.id);
    expect([claims.aud].flat().every((a: string) => a.includes('/storefront/'))).to.equal(true);

    // Not a console session: the console does not know it.
    const console = await agent.get('/console/me');
    expect(console.status).to.equal(303);
    expect(console.location).to.equal('/console/');
    const signIns = (await userEvents(customer.id)).filter((e) => e.type === 'UserSignedIn');
    expect(signIns.at(-1)).to.deep.include({ data: { userId: customer.id, via: 'authorize' }, via: storefront.clientId });

    // Remembered: the next request of the same session gets its code at once.
    const again = await start(agent, storefront);
    expect(redirectParams(again.page).get('code')).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('given a wrong password or an unknown customer, then the same generic error, no session, and the wrong password counts toward the lockout', async () => {
    const victim = await createCustomer();
    const agent = createFormAgent(admin.url);
    const { page } = await start(agent, storefront);
    const wrong = await signInAt(agent, page, victim.username, 'wrong-password-1');
    const unknown = await signInAt(agent, (await start(agent, storefront)).page, unique('nobody'), 'wrong-password-1');
    for (const res of [wrong, unknown]) {
      expect(res.status).to.equal(401);
      expect(res.body).to.contain('Invalid username or password.');
      expect(res.body).to.contain('Sign in to continue to');
      expect(res.location).to.equal(undefined);
    }
    expect(agent.cookies.has('tollgate_storefront_authorize')).to.equal(false);
    // Failures are recorded after the answer (loginAttemptRecorder.ts).
    let failures = 0;
    for (let i = 0; i < 100 && failures === 0; i++) {
      failures = (await userEvents(victim.id)).filter((e) => e.type === 'UserLoginFailed').length;
      if (failures === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(failures).to.equal(1);
  });

  it('given a back-office user on a storefront application, when they sign in there, then the generic error and no code; their console session does not approve it either', async () => {
    const agent = createFormAgent(admin.url);
    const { page } = await start(agent, storefront);
    const refused = await signInAt(agent, page, backOffice.username, USER_PASSWORD);
    expect(refused.status).to.equal(401);
    expect(refused.body).to.contain('Invalid username or password.');

    // Signed in to the console through a back-office application's flow…
    const office = await followToDecision(agent, await agent.get(authorizePath(standardQuery(backOfficeApp, pkcePair().challenge))), { username: backOffice.username, password: USER_PASSWORD });
    expect(office.status).to.equal(200);
    expect(agent.cookies.has('tollgate_console')).to.equal(true);
    // …the storefront request still asks for a storefront sign-in,
    const shop = await start(agent, storefront);
    expect(shop.page.status).to.equal(200);
    expect(shop.page.body).to.contain('action="/console/authorize/sign-in"');
    // and the console's own decision route refuses it.
    const me = await agent.get('/console/me');
    const posted = await agent.post('/console/authorize', { _csrf: hiddenField(me.body, '_csrf')!, request: hiddenField(shop.page.body, 'continue')!, decision: 'grant' });
    expect(redirectParams(posted).get('error')).to.equal('access_denied');
    expect(redirectParams(posted).get('code')).to.equal(null);
  });

  it('given a customer signed in for a storefront application, when a back-office application asks, then the console sign-in is shown (the authorize session opens storefront requests only)', async () => {
    const agent = createFormAgent(admin.url);
    const { page } = await start(agent, storefront);
    expect((await signInAt(agent, page, customer.username, USER_PASSWORD)).status).to.equal(303);
    const office = await start(agent, backOfficeApp);
    expect(office.page.status).to.equal(200);
    expect(office.page.body).to.contain('action="/console/sign-in"');
  });

  it('given the storefront consent form, when it is posted without the session or with a wrong CSRF token, then 403 and nothing decided; the right token still works', async () => {
    const agent = createFormAgent(admin.url);
    const { page } = await start(agent, storefront);
    const other = await codeApp({ frontend: true, redirectUris: ['https://shop-two.example/cb'] });
    expect((await signInAt(agent, page, customer.username, USER_PASSWORD)).status).to.equal(303);
    const consent = (await start(agent, other)).page;
    expect(consent.status).to.equal(200);
    const request = hiddenField(consent.body, 'request')!;
    const wrong = await agent.post('/console/authorize/decision', { _csrf: 'x'.repeat(43), request, decision: 'grant' });
    expect(wrong.status).to.equal(403);
    expect(wrong.location).to.equal(undefined);
    const stranger = createFormAgent(admin.url);
    const noSession = await stranger.post('/console/authorize/decision', { _csrf: hiddenField(consent.body, '_csrf')!, request, decision: 'grant' });
    expect(noSession.status).to.equal(403);
    const right = await agent.post('/console/authorize/decision', { _csrf: hiddenField(consent.body, '_csrf')!, request, decision: 'grant' });
    expect(redirectParams(right).get('code')).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('given a customer signed in at the authorization endpoint, when an administrator resets their password, then that sign-in is over: the sign-in page again, no code', async () => {
    const shopper = await createCustomer();
    const agent = createFormAgent(admin.url);
    const other = await codeApp({ frontend: true, skipConsent: true, redirectUris: ['https://shop-four.example/cb'] });
    const { page } = await start(agent, other);
    expect((await signInAt(agent, page, shopper.username, USER_PASSWORD)).status).to.equal(303);
    expect(redirectParams((await start(agent, other)).page).get('code')).to.match(/^[A-Za-z0-9_-]{43}$/);
    const reset = await http(admin.url, 'PATCH', `/admin/users/${shopper.id}`, { token: admin.token, body: { password: 'a-new-password-456' } });
    expect(reset.status, JSON.stringify(reset.body)).to.equal(200);
    const after = (await start(agent, other)).page;
    expect(after.status).to.equal(200);
    expect(after.body).to.contain('action="/console/authorize/sign-in"');
  });

  it('given the storefront consent page, when the customer presses Cancel, then access_denied', async () => {
    const agent = createFormAgent(admin.url);
    const other = await codeApp({ frontend: true, redirectUris: ['https://shop-three.example/cb'] });
    const { page } = await start(agent, other);
    expect((await signInAt(agent, page, customer.username, USER_PASSWORD)).status).to.equal(303);
    const consent = (await start(agent, other)).page;
    const cancelled = await agent.post('/console/authorize/decision', { _csrf: hiddenField(consent.body, '_csrf')!, request: hiddenField(consent.body, 'request')!, decision: 'cancel' });
    expect(redirectParams(cancelled).get('error')).to.equal('access_denied');
  });

  it('given an https issuer, then the storefront session cookie is Secure', async () => {
    const https = await startTestServer({ ISSUER: 'https://tollgate.example' });
    try {
      const token = await bootstrapAdminToken(https.url);
      const me = await http(https.url, 'GET', '/admin/me', { token });
      const secureAdmin: Admin = { server: https, url: https.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
      const username = unique('secure-customer');
      const created = await http(https.url, 'POST', '/admin/users', {
        token,
        body: { username, email: `${username}@example.test`, password: USER_PASSWORD, kind: 'customer', roles: ['user'], organizationIds: [secureAdmin.orgA] },
      });
      expect(created.status).to.equal(201);
      const res = await createApp(secureAdmin, { name: unique('secure-shop'), frontend: true, grants: ['authorization_code'], organizationId: secureAdmin.orgA, redirectUris: ['https://secure-shop.example/cb'] });
      const agent = createFormAgent(https.url);
      const { page } = await start(agent, { clientId: res.body.clientId, redirectUri: 'https://secure-shop.example/cb' });
      const signedIn = await signInAt(agent, page, username, USER_PASSWORD);
      expect(signedIn.status).to.equal(303);
      const cookie = [signedIn.headers['set-cookie']].flat().find((c) => typeof c === 'string' && c.startsWith('tollgate_storefront_authorize='));
      expect(cookie).to.match(/; Secure$/);
    } finally {
      await https.stop();
    }
  });
});
