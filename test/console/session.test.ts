import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { CONSOLE_APPLICATION_ID, CONSOLE_CLIENT_ID } from '../../src/domain/application/consoleClient.js';
import { toApplicationStreamName, toUserStreamName } from '../../src/domain/shared/streamNames.js';
import { ADMIN_PASSWORD, bootstrapAdminToken, clientToken, http, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { consoleHttp } from './support/consoleClient.js';
import { waitUntil } from '../workers/waitUntil.js';

/** Console sessions over real HTTP (no browser): cookie, CSRF, events, expiry, the checks that end them. */
describe('console sessions (real HTTP)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let adminToken: string;
  let offsetMs = 0;
  const advance = (seconds: number) => (offsetMs += seconds * 1000);
  let organizationId: string;

  const createUser = async (username: string, extra: Record<string, unknown> = {}) => {
    const res = await http(server.url, 'POST', '/admin/users', {
      token: adminToken,
      body: { username, email: `${username}@example.com`, password: `${username}-password`, kind: 'backOffice', roles: ['user'], organizationIds: [organizationId], ...extra },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as string;
  };
  const userEvents = async (userId: string) => server.tollgate.store.readStream(toUserStreamName(userId));

  before(async () => {
    server = await startTestServer(
      { CONSOLE_SESSION_IDLE_TIMEOUT: '600', CONSOLE_SESSION_MAX_AGE: '900', ACCESS_TOKEN_TTL: '120', LOGIN_FAILURE_LIMIT: '3' },
      { now: () => new Date(Date.now() + offsetMs) },
    );
    adminToken = await bootstrapAdminToken(server.url);
    organizationId = (await http(server.url, 'GET', '/admin/organizations', { token: adminToken })).body.items[0].id;
  });
  after(() => server?.stop());

  it('given no session, then /console/ is the sign-in page with its CSP, and other pages redirect to it', async () => {
    const client = consoleHttp(server.url);
    const page = await client.get('/console/');
    expect(page.status).to.equal(200);
    expect(page.html).to.match(/<label[^>]*for="username">Username<\/label>/).and.match(/<label[^>]*for="password">Password<\/label>/).and.match(/>Sign in<\/button>/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).to.contain("frame-ancestors 'none'").and.contain("script-src 'self'").and.not.contain('unsafe-inline');
    expect(page.html).not.to.match(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    const me = await client.get('/console/me');
    expect(me.status).to.equal(303);
    expect(me.location).to.equal('/console/');
  });

  it('when the administrator signs in, then the cookie holds only a random id (HttpOnly, SameSite=Strict, Path=/console), and UserSignedIn is recorded', async () => {
    const client = consoleHttp(server.url);
    const res = await client.signIn('admin', ADMIN_PASSWORD);
    expect(res.status).to.equal(303);
    expect(res.location).to.equal('/console/me');
    const cookie = res.setCookies.find((c) => c.startsWith('tollgate_console='))!;
    expect(cookie).to.match(/^tollgate_console=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    const adminId = server.tollgate.bootstrap!.adminUserId;
    const signedIn = (await userEvents(adminId)).filter((e) => e.type === 'UserSignedIn').at(-1)!;
    expect(signedIn.data).to.deep.equal({ userId: adminId, via: 'console' });
    expect(signedIn.metadata).to.include({ actor: adminId, actorKind: 'user', via: 'console' });
    expect((await client.get('/console/me')).status).to.equal(200);
  });

  it('given a sign-in form without its CSRF token, then 403 and no session', async () => {
    const res = await fetch(`${server.url}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(res.status).to.equal(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('tollgate_console='))).to.equal(false);
  });

  it('given a wrong password, then the same message as for an unknown user, the failure counts toward the lockout, and the locked account cannot sign in', async () => {
    const userId = await createUser('lockme');
    const client = consoleHttp(server.url);
    // Failures are recorded after the answer (main's lockout): wait for each before the next.
    const failures = async () => (await userEvents(userId)).filter((e) => e.type === 'UserLoginFailed').length;
    const failOnce = async (n: number) => {
      const res = await client.signIn('lockme', 'wrong-password');
      await waitUntil(async () => (await failures()) >= n, `failure ${n} recorded`);
      return res;
    };
    const unknown = await client.signIn('nobody-here', 'whatever-password');
    const wrong = await failOnce(1);
    expect(wrong.status).to.equal(401);
    expect(wrong.html).to.contain('Invalid username or password.');
    expect(unknown.html).to.contain('Invalid username or password.');
    await failOnce(2);
    await failOnce(3);
    // Main's lockout is temporary (Keycloak-style): UserLockedOut, not an administrator's UserLocked.
    const types = await waitUntil(async () => {
      const all = (await userEvents(userId)).map((e) => e.type);
      return all.includes('UserLockedOut') ? all : undefined;
    }, 'the lockout recorded');
    expect(types.filter((t) => t === 'UserLoginFailed')).to.have.length(3);
    expect(types).to.include('UserLockedOut');
    const right = await client.signIn('lockme', 'lockme-password');
    expect(right.status).to.equal(401);
    expect(client.sessionId).to.equal(undefined);
  });

  it('given a customer (storefront) user, then sign-in is refused', async () => {
    await createUser('shopper', { kind: 'customer' });
    const client = consoleHttp(server.url);
    const res = await client.signIn('shopper', 'shopper-password');
    expect(res.status).to.equal(401);
    expect(client.sessionId).to.equal(undefined);
  });

  it('when the user signs out, then UserSignedOut is recorded, the session id is dead and its tokens are revoked', async () => {
    const userId = await createUser('leaver');
    const client = consoleHttp(server.url);
    await client.signIn('leaver', 'leaver-password');
    const out = await client.post('/console/sign-out', {});
    expect(out.status).to.equal(303);
    expect(out.location).to.equal('/console/?signedOut=1');
    expect((await client.get('/console/me')).status).to.equal(303);
    const signedOut = (await userEvents(userId)).filter((e) => e.type === 'UserSignedOut').at(-1)!;
    expect(signedOut.data).to.deep.equal({ userId, via: 'console', reason: 'signOut' });
    const issued = await server.tollgate.store.readAll({ filter: { eventTypes: ['RefreshTokenIssued'] } });
    const family = issued.find((e) => (e.data as { userId: string }).userId === userId)!;
    const familyEvents = await server.tollgate.store.readStream(family.streamName);
    expect(familyEvents.map((e) => e.type)).to.include('RefreshTokenFamilyRevoked');
  });

  it('given the access token expires, then the session refreshes it; after the idle timeout or the absolute age it ends', async () => {
    await createUser('sleeper');
    const client = consoleHttp(server.url);
    const first = await client.signIn('sleeper', 'sleeper-password');
    expect(first.status, first.html).to.equal(303);
    // Past the 120 s access token, within the 600 s idle timeout: refreshed.
    for (let i = 0; i < 3; i++) {
      advance(100);
      const page = await client.get('/console/me');
      expect(page.status, `after ${(i + 1) * 100} s: ${page.location}`).to.equal(200);
    }
    // Idle for longer than 600 s: ended.
    advance(601);
    const idle = await client.get('/console/me');
    expect(idle.status).to.equal(303);
    expect(idle.location).to.equal('/console/?ended=1');

    // Active all along, but 900 s after sign-in: ended.
    await client.signIn('sleeper', 'sleeper-password');
    for (let i = 0; i < 8; i++) {
      advance(100);
      expect((await client.get('/console/me')).status).to.equal(200);
    }
    advance(100);
    expect((await client.get('/console/me')).status).to.equal(303);
  });

  it('given several requests of one session at once when its access token is due, then one refresh serves them all and the session goes on (no refresh-token reuse)', async () => {
    adminToken = await bootstrapAdminToken(server.url);
    const userId = await createUser('tabs');
    const client = consoleHttp(server.url);
    expect((await client.signIn('tabs', 'tabs-password')).status).to.equal(303);
    const familyOf = async () => {
      const issued = await server.tollgate.store.readAll({ filter: { eventTypes: ['RefreshTokenIssued'] } });
      return server.tollgate.store.readStream(issued.find((e) => (e.data as { userId: string }).userId === userId)!.streamName);
    };
    for (let round = 0; round < 3; round++) {
      advance(115); // past the 120 s access token's refresh point (10 s ahead of its expiry)
      const pages = await Promise.all(Array.from({ length: 6 }, () => client.get('/console/me')));
      expect(pages.map((p) => p.status), `round ${round}: ${pages.map((p) => p.location).join(' ')}`).to.deep.equal([200, 200, 200, 200, 200, 200]);
    }
    const types = (await familyOf()).map((e) => e.type);
    expect(types, 'no reuse detected').not.to.include('RefreshTokenFamilyRevoked');
    expect(types.filter((t) => t === 'RefreshTokenRotated'), 'one refresh per round').to.have.length(3);
  });

  it("given the console's client, then the token endpoint refuses it even with a secret rotated through the admin API", async () => {
    adminToken = await bootstrapAdminToken(server.url);
    const rotated = await http(server.url, 'POST', `/admin/oauth-applications/${CONSOLE_APPLICATION_ID}/rotate-secret`, {
      token: adminToken,
      body: { graceSeconds: 0 },
    });
    expect(rotated.status).to.equal(200);
    const password = await http(server.url, 'POST', '/oauth2-token', {
      rawBody: new URLSearchParams({ grant_type: 'password', username: 'admin', password: ADMIN_PASSWORD, client_id: CONSOLE_CLIENT_ID, client_secret: rotated.body.clientSecret }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(password.status).to.equal(401);
    expect(password.body.error).to.equal('invalid_client');
    expect((await clientToken(server.url, CONSOLE_CLIENT_ID, rotated.body.clientSecret)).status).to.equal(401);
  });

  it("when the console's application is deactivated, then sessions end; when reactivated, users sign in again", async () => {
    adminToken = await bootstrapAdminToken(server.url);
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    expect((await http(server.url, 'POST', `/admin/oauth-applications/${CONSOLE_APPLICATION_ID}/deactivate`, { token: adminToken })).status).to.equal(200);
    expect((await client.get('/console/me')).status).to.equal(303);
    expect((await client.signIn('admin', ADMIN_PASSWORD)).status).to.equal(503);
    expect((await http(server.url, 'POST', `/admin/oauth-applications/${CONSOLE_APPLICATION_ID}/activate`, { token: adminToken })).status).to.equal(200);
    expect((await client.signIn('admin', ADMIN_PASSWORD)).status).to.equal(303);
  });

  it('when an application is created from the console, then its events say: this user, through the console', async () => {
    adminToken = await bootstrapAdminToken(server.url);
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const res = await client.post('/console/me/oauth-applications', { name: 'Audited app', active: 'on', allApis: 'on' });
    expect(res.status).to.equal(303);
    const grid = await http(server.url, 'GET', '/admin/oauth-applications?name=audited', { token: adminToken });
    const [created] = await server.tollgate.store.readStream(toApplicationStreamName(grid.body.items[0].id));
    expect(created!.metadata).to.include({ actor: server.tollgate.bootstrap!.adminUserId, actorKind: 'user', via: 'console' });
  });

  it('given a stale revision on the edit page, then a clear message, the form keeps the input, and the other change stays', async () => {
    adminToken = await bootstrapAdminToken(server.url);
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const created = await http(server.url, 'POST', '/admin/oauth-applications', { token: adminToken, body: { name: 'Contested', grants: ['client_credentials'] } });
    const edit = await client.get(`/console/oauth-applications/${created.body.id}/edit`);
    const revision = /name="revision" value="(\d+)"/.exec(edit.html)![1]!;
    expect((await http(server.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, { token: adminToken, body: { name: 'Contested (theirs)' } })).status).to.equal(200);
    const res = await client.post(`/console/oauth-applications/${created.body.id}/edit`, { name: 'Contested (mine)', revision, apisShown: '1', allApis: 'on' });
    expect(res.status).to.equal(400);
    expect(res.html).to.contain('Someone else changed this application meanwhile').and.contain('value="Contested (mine)"');
    const now = await http(server.url, 'GET', `/admin/oauth-applications/${created.body.id}`, { token: adminToken });
    expect(now.body.name).to.equal('Contested (theirs)');
  });

  it('given an invalid create form, then 400 with the message next to the field, and nothing is created', async () => {
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const before = await server.tollgate.store.headPosition();
    const empty = await client.post('/console/oauth-applications', { name: '', grant: 'password', active: 'on', allApis: 'on' });
    expect(empty.status).to.equal(400);
    expect(empty.html).to.match(/<div class="invalid-feedback" id="name-error">[^<]+<\/div>/);
    const noUser = await client.post('/console/oauth-applications', { name: 'Needs an owner', grant: 'client_credentials', allApis: 'on' });
    expect(noUser.status).to.equal(400);
    expect(noUser.html).to.contain('A user is required for Client Credentials.');
    const badGrant = await client.post('/console/oauth-applications', { name: 'Odd', grant: 'implicit', allApis: 'on' });
    expect(badGrant.status).to.equal(400);
    // Sign-in events aside, no application stream was written.
    const appended = await server.tollgate.store.readAll({ afterPosition: before });
    expect(appended.filter((e) => e.streamName.startsWith('oauthApplication-'))).to.deep.equal([]);
  });

  it('when an administrator creates a user and an organization and edits them in the console, then the same services record it, through the console', async () => {
    adminToken = await bootstrapAdminToken(server.url);
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const org = await client.post('/console/organizations', { name: 'Console Org' });
    expect(org.status).to.equal(303);
    const orgs = await http(server.url, 'GET', '/admin/organizations?perPage=100', { token: adminToken });
    const created = orgs.body.items.find((o: { name: string }) => o.name === 'Console Org');
    const form = new URLSearchParams({ username: 'owner.one', email: 'owner.one@example.com', password: 'owner-one-password', kind: 'backOffice', roles: 'user' });
    form.append('organizationIds', created.id);
    const user = await client.post('/console/users', Object.fromEntries(form) as Record<string, string>);
    expect(user.status, user.html).to.equal(303);
    const userId = user.location!.split('/').at(-1)!;
    const [registered] = await userEvents(userId);
    expect(registered!.metadata).to.include({ actorKind: 'user', via: 'console' });
    expect(JSON.stringify(registered!.data)).not.to.contain('owner-one-password');
    // Lock from the console, then unlock: the user's own state follows.
    await client.post(`/console/users/${userId}/edit`, { email: 'owner.one@example.com', roles: 'user', organizationIds: created.id, enabled: 'on', lock: 'on' });
    expect((await http(server.url, 'GET', `/admin/users/${userId}`, { token: adminToken })).body.locked).to.equal(true);
    const unlocked = await client.post(`/console/users/${userId}/edit`, { email: 'owner.one@example.com', roles: 'user', organizationIds: created.id, enabled: 'on', unlock: 'on' });
    expect(unlocked.status, /alert-danger[^>]*>([^<]*)/.exec(unlocked.html)?.[1]).to.equal(303);
    expect((await http(server.url, 'GET', `/admin/users/${userId}`, { token: adminToken })).body.locked).to.equal(false);
    const renamed = await client.post(`/console/organizations/${created.id}/edit`, { name: 'Console Org (renamed)', enabled: 'on' });
    expect(renamed.status).to.equal(303);
    expect((await http(server.url, 'GET', `/admin/organizations/${created.id}`, { token: adminToken })).body.name).to.equal('Console Org (renamed)');
  });

  it('given a plain user, then Users, Create User and organization edits are refused (403 pages) and nothing changes', async () => {
    await createUser('plain.two');
    const client = consoleHttp(server.url);
    await client.signIn('plain.two', 'plain.two-password');
    expect((await client.get('/console/users')).status).to.equal(403);
    const post = await client.post('/console/users', { username: 'sneaky', email: 's@example.com', password: 'sneaky-password', roles: 'admin', organizationIds: organizationId });
    expect(post.status).to.equal(403);
    expect((await client.post(`/console/organizations/${organizationId}/edit`, { name: 'Hijacked' })).status).to.equal(403);
    expect((await http(server.url, 'GET', `/admin/organizations/${organizationId}`, { token: adminToken })).body.name).to.not.equal('Hijacked');
  });

  it('when Rotate Secret, Activate and Delete are used, then the new secret shows once, the old one works through its grace, and the flashes say so', async () => {
    adminToken = await bootstrapAdminToken(server.url);
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const created = await http(server.url, 'POST', '/admin/oauth-applications', { token: adminToken, body: { name: 'Rotating', grants: ['client_credentials'] } });
    const { id, clientId, clientSecret: oldSecret } = created.body;
    const rotated = await client.post(`/console/oauth-applications/${id}/rotate-secret`, { graceSeconds: '3600' });
    expect(rotated.status).to.equal(303);
    expect(rotated.location).to.equal(`/console/oauth-applications/${id}/credentials`);
    const shown = await client.get(rotated.location!);
    const newSecret = /id="client-secret" readonly value="([^"]+)"/.exec(shown.html)![1]!;
    expect(shown.html).to.contain('The client secret has been rotated.');
    expect((await clientToken(server.url, clientId, newSecret)).status).to.equal(200);
    expect((await clientToken(server.url, clientId, oldSecret)).status).to.equal(200);
    expect((await client.get(rotated.location!)).html).not.to.contain(newSecret);

    await client.post(`/console/oauth-applications/${id}/deactivate`, {});
    const activate = await client.post(`/console/oauth-applications/${id}/activate`, { return: `/console/oauth-applications/${id}` });
    expect(activate.location).to.equal(`/console/oauth-applications/${id}`);
    expect((await client.get(activate.location!)).html).to.contain('Activated successfully');
    const confirm = await client.get(`/console/oauth-applications/${id}/delete`);
    expect(confirm.html).to.contain('Are you sure you want to delete the application?');
    const deleted = await client.post(`/console/oauth-applications/${id}/delete`, {});
    expect(deleted.location).to.equal('/console/oauth-applications');
    expect((await client.get('/console/oauth-applications')).html).to.contain('Deleted successfully');
    expect((await clientToken(server.url, clientId, newSecret)).status).to.equal(401);
  });

  it('given a return address off the console, then actions go back to the grid instead', async () => {
    adminToken = await bootstrapAdminToken(server.url);
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const created = await http(server.url, 'POST', '/admin/oauth-applications', { token: adminToken, body: { name: 'Redirected', grants: ['client_credentials'], active: false } });
    for (const target of ['https://evil.example/', '//evil.example/console/', '/console/../admin']) {
      const res = await client.post(`/console/oauth-applications/${created.body.id}/activate`, { return: target });
      expect(res.location, target).to.equal('/console/oauth-applications');
    }
  });

  it('given a notification that failed for good, then the banner links to the list of failed notifications', async () => {
    adminToken = await bootstrapAdminToken(server.url);
    // An application whose owner does not exist (as an older writer could leave): its email fails for good.
    await server.tollgate.store.appendToStream(toApplicationStreamName('ghost-owned'), [{
      id: randomUUID(),
      type: 'ApplicationCreated',
      data: { applicationId: 'ghost-owned', clientId: 'ghost-owned-client', secretHash: 'sha256$x$y', name: 'Ghost owned', organizationId, ownerUserId: 'ghost', active: true, grants: ['client_credentials'], frontend: false, allApis: true, apis: [], scopes: [], applicationUrl: null, description: null },
      metadata: { actor: 'test', occurredAt: new Date().toISOString(), correlationId: randomUUID() },
    }], { expectedRevision: 'no_stream' });
    await waitUntil(async () => ((await http(server.url, 'GET', '/admin/status')).body.notifications.failed as number) > 0, 'a failed notification');
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const me = await client.get('/console/me');
    expect(me.html).to.match(/failed permanently; see GET \/admin\/notification-jobs <a class="alert-link" href="\/console\/notification-jobs">Show the failed notifications<\/a>/);
    const jobs = await client.get('/console/notification-jobs');
    expect(jobs.status).to.equal(200);
    expect(jobs.html).to.contain('<td>Yes</td>');
  });

  it('given a POST that is not a form, or too large, then a 415 or 413 page without internals, and nothing changes', async () => {
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const before = await server.tollgate.store.headPosition();
    const json = await fetch(`${server.url}/console/me/oauth-applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `tollgate_console=${client.sessionId}` },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(json.status).to.equal(415);
    const huge = await client.post('/console/me/oauth-applications', { name: 'y'.repeat(70 * 1024) });
    expect(huge.status).to.equal(413);
    for (const html of [await json.text(), huge.html]) expect(html).to.not.match(/at \w+ \(|node_modules|\.ts:\d+/);
    expect(await server.tollgate.store.headPosition()).to.equal(before);
  });

  it('given three tokens, then the Tokens tab lists them newest first, two per page (cursor pages)', async () => {
    adminToken = await bootstrapAdminToken(server.url);
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const app = await http(server.url, 'POST', '/admin/oauth-applications', { token: adminToken, body: { name: 'Token paging', grants: ['client_credentials'] } });
    const jtis: string[] = [];
    for (let i = 0; i < 3; i++) {
      const token = await clientToken(server.url, app.body.clientId, app.body.clientSecret);
      jtis.push(JSON.parse(Buffer.from((token.body.access_token as string).split('.')[1]!, 'base64url').toString()).jti);
    }
    const listed = (html: string) => jtis.filter((j) => html.includes(j)).sort((a, b) => html.indexOf(a) - html.indexOf(b));
    const first = await client.get(`/console/oauth-applications/${app.body.id}?tab=tokens&perPage=2`);
    expect(listed(first.html)).to.deep.equal([jtis[2], jtis[1]]);
    expect(first.html).to.contain('>Older</a>').and.not.contain('>Newest</a>');
    const older = /href="([^"]+)">Older<\/a>/.exec(first.html)![1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    const second = await client.get(older);
    expect(listed(second.html)).to.deep.equal([jtis[0]]);
    expect(second.html).to.contain('>Newest</a>').and.not.contain('>Older</a>');
  });

  it("when a Client Credentials application is created on the Create page, then the credentials page shows the secret and a working temporary access token, once", async () => {
    const client = consoleHttp(server.url);
    await client.signIn('admin', ADMIN_PASSWORD);
    const adminId = server.tollgate.bootstrap!.adminUserId;
    const created = await client.post('/console/oauth-applications', { name: 'With a token', grant: 'client_credentials', ownerUserId: adminId, organizationId, active: 'on', allApis: 'on', scopes: '', applicationUrl: '', description: '' });
    expect(created.status, /alert-danger[^>]*>([^<]*)/.exec(created.html)?.[1]).to.equal(303);
    const page = await client.get(created.location!);
    expect(page.html).to.contain('OAuth application has been created.').and.contain('Temporary access token');
    const token = /id="access-token" readonly value="([^"]+)"/.exec(page.html)![1]!;
    expect((await http(server.url, 'GET', '/admin/me', { token })).status).to.equal(200);
    expect((await client.get(created.location!)).html).to.not.contain(token);

    const password = await client.post('/console/oauth-applications', { name: 'No token', grant: 'password', organizationId, active: 'on', allApis: 'on' });
    expect((await client.get(password.location!)).html).to.contain('Client Secret').and.not.contain('Temporary access token');
  });

  it('given a hostile or malformed session cookie, then the sign-in page and nothing else', async () => {
    for (const value of ['', 'x', 'a'.repeat(43), '../../etc/passwd', '%00']) {
      const res = await fetch(`${server.url}/console/me`, { redirect: 'manual', headers: { cookie: `tollgate_console=${value}` } });
      expect(res.status).to.equal(303);
    }
  });

  it('given an https issuer, then the session cookie is Secure', async () => {
    const https = await startTestServer({ ISSUER: 'https://tollgate.example' });
    try {
      const res = await consoleHttp(https.url).signIn('admin', ADMIN_PASSWORD);
      expect(res.setCookies.find((c) => c.startsWith('tollgate_console='))).to.match(/; Secure$/);
    } finally {
      await https.stop();
    }
  });
});

describe('console status banner (real HTTP)', function () {
  this.timeout(60_000);
  it('given no signing keys (production, empty KEYS_DIR), then every page shows the /admin/status warning and sign-in says it is not possible', async () => {
    const server = await startTestServer({ NODE_ENV: 'production' });
    try {
      const status = await http(server.url, 'GET', '/admin/status');
      expect(status.body.warnings).to.not.be.empty;
      const client = consoleHttp(server.url);
      const page = await client.get('/console/');
      for (const warning of status.body.warnings as string[]) {
        expect(page.html).to.contain(`<div class="alert alert-warning" role="alert">${warning.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/=/g, '&#x3D;').replace(/`/g, '&#x60;')}</div>`);
      }
      const signIn = await client.signIn('admin', ADMIN_PASSWORD);
      expect(signIn.status).to.equal(503);
      expect(signIn.html).to.contain('Signing in is not possible right now.');
    } finally {
      await server.stop();
    }
  });
});
