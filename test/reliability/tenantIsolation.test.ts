import { expect } from 'chai';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startTollgate, type Tollgate } from '../../src/app/tollgate.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import {
  ADMIN_PASSWORD,
  BOOTSTRAP_CLIENT_ID,
  BOOTSTRAP_CLIENT_SECRET,
  bootstrapAdminToken,
  clientToken,
  freePort,
} from '../support/tollgateServer.js';
import { createUser } from '../admin/adminKit.js';
import {
  expectFieldError,
  expectProblem,
  http,
  startThreeOrganizations,
  unique,
  USER_PASSWORD,
  type ThreeOrganizations,
} from '../support/threeOrganizations.js';

/**
 * Issue 11, tried as an attacker would, through real HTTP: G (global access), A and B
 * (without), an administrator and a plain user in each, and an administrator of both G and
 * B. Each attack is refused; the matching allowed case (a global administrator, or the user
 * themselves) passes.
 */
describe('Tenant isolation: authority over users and ownership (issue 11)', function () {
  this.timeout(60_000);
  let w: ThreeOrganizations;

  before(async () => {
    w = await startThreeOrganizations();
  });
  after(async () => w.stop());

  const call = (token: string, method: string, path: string, body?: unknown) => http(w.url, method, path, { token, body });

  async function ccApp(token: string, body: Record<string, unknown>) {
    return call(token, 'POST', '/admin/oauth-applications', { name: unique('cc'), grants: ['client_credentials'], ...body });
  }

  describe('ownership: an application acts as its owner', () => {
    it('given an administrator of B, when they create a client_credentials application in B owned by the G+B administrator, then 400 naming ownerUserId', async () => {
      const res = await ccApp(w.admin.B.token, { organizationId: w.org.B, ownerUserId: w.adminGB.id });
      expectProblem(res, 400);
      expectFieldError(res, 'ownerUserId');
    });

    it('given the global administrator, when they create the same application, then 201', async () => {
      const res = await ccApp(w.admin.G.token, { organizationId: w.org.B, ownerUserId: w.adminGB.id });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    });

    it('given an administrator of B, when they create one owned by a user of B they have authority over, then 201', async () => {
      const res = await ccApp(w.admin.B.token, { organizationId: w.org.B, ownerUserId: w.user.B.id });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    });

    it('given an application of B owned by the G+B administrator, when its token is used, then it acts only in B (no global access)', async () => {
      const created = await ccApp(w.admin.G.token, { organizationId: w.org.B, ownerUserId: w.adminGB.id });
      expect(created.status).to.equal(201);
      const issued = await clientToken(w.url, created.body.clientId, created.body.clientSecret);
      expect(issued.status, JSON.stringify(issued.body)).to.equal(200);
      const token = issued.body.access_token as string;
      expectProblem(await call(token, 'GET', `/admin/organizations/${w.org.G}`), 404);
      const orgs = await call(token, 'GET', '/admin/organizations');
      expect(orgs.body.items.map((o: { id: string }) => o.id)).to.deep.equal([w.org.B]);
      const grid = await call(token, 'GET', '/admin/oauth-applications?perPage=100');
      expect(grid.body.items.every((a: { organizationId: string }) => a.organizationId === w.org.B)).to.equal(true);
      const ofG = await ccApp(w.adminGB.token, { organizationId: w.org.G });
      expect(ofG.status, JSON.stringify(ofG.body)).to.equal(201);
      const mine = await call(token, 'GET', '/admin/me/oauth-applications?perPage=100');
      expect(mine.body.items.map((a: { id: string }) => a.id)).not.to.include(ofG.body.id);
      const escalate = await call(token, 'PATCH', `/admin/users/${w.adminGB.id}`, { organizationIds: [w.org.B, w.org.G] });
      expectProblem(escalate, 403);
      expect((await call(w.admin.G.token, 'GET', `/admin/users/${w.adminGB.id}`)).body.organizationIds).to.have.members([w.org.G, w.org.B]);
    });

    it('given an application of B owned by the G+B administrator, when an administrator of B rotates its secret or edits it, then 403; the global administrator may; B may still deactivate it', async () => {
      const created = await ccApp(w.admin.G.token, { organizationId: w.org.B, ownerUserId: w.adminGB.id });
      const p = `/admin/oauth-applications/${created.body.id}`;
      expect((await call(w.admin.B.token, 'GET', p)).status, 'it is an application of B: visible').to.equal(200);
      expectProblem(await call(w.admin.B.token, 'POST', `${p}/rotate-secret`, {}), 403);
      expectProblem(await call(w.admin.B.token, 'PATCH', p, { scopes: ['write'] }), 403);
      const rotated = await call(w.admin.G.token, 'POST', `${p}/rotate-secret`, {});
      expect(rotated.status, JSON.stringify(rotated.body)).to.equal(200);
      expect((await call(w.admin.G.token, 'PATCH', p, { description: 'ok' })).status).to.equal(200);
      expect((await call(w.admin.B.token, 'POST', `${p}/deactivate`)).status).to.equal(200);
    });

    it('given the G+B administrator signed in through G, then they see G (their whole authority)', async () => {
      expect((await call(w.adminGB.token, 'GET', `/admin/organizations/${w.org.G}`)).status).to.equal(200);
    });
  });

  describe('authority over a user is authority over all their organizations', () => {
    const path = () => `/admin/users/${w.adminGB.id}`;

    it('given an administrator of B, when they read, list or change the G+B user, then 404 and nothing changes', async () => {
      expectProblem(await call(w.admin.B.token, 'GET', path()), 404);
      for (const body of [{ password: 'taken-over-123' }, { enabled: false }, { roles: ['user'] }, { organizationIds: [w.org.B] }, { locked: true }, { email: 'x@example.com' }]) {
        expectProblem(await call(w.admin.B.token, 'PATCH', path(), body), 404);
      }
      expectProblem(await call(w.admin.B.token, 'GET', `${path()}/oauth-applications`), 404);
      expectProblem(await call(w.admin.B.token, 'GET', `${path()}/history`), 404);
      const list = await call(w.admin.B.token, 'GET', '/admin/users?perPage=100');
      expect(list.status).to.equal(200);
      const ids = list.body.items.map((u: { id: string }) => u.id);
      expect(ids).to.include.members([w.user.B.id, w.admin.B.id]);
      expect(ids).not.to.include(w.adminGB.id);
      const signIn = await w.signIn(w.adminGB.username, w.org.G);
      expect(signIn.status, 'the old password still works').to.equal(200);
      const after = await call(w.admin.G.token, 'GET', path());
      expect(after.body).to.deep.include({ enabled: true, locked: false, roles: ['admin'] });
    });

    it('given the global administrator, when they do each of these, then 200', async () => {
      const target = await createUser(w.root, { organizationIds: [w.org.G, w.org.B], roles: ['admin'], signIn: false });
      const p = `/admin/users/${target.id}`;
      expect((await call(w.admin.G.token, 'GET', p)).status).to.equal(200);
      for (const body of [{ password: 'reset-by-global-1' }, { enabled: false }, { roles: ['user'] }, { organizationIds: [w.org.B] }, { locked: true }]) {
        const res = await call(w.admin.G.token, 'PATCH', p, body);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
      }
      expect((await call(w.admin.G.token, 'GET', `${p}/oauth-applications`)).status).to.equal(200);
      const history = await call(w.admin.G.token, 'GET', `${p}/history`);
      expect(history.status).to.equal(200);
      expect(history.body.items.map((e: { type: string }) => e.type)).to.include.members(['UserRegistered', 'UserPasswordChanged', 'UserDisabled', 'UserLocked']);
      expect(JSON.stringify(history.body)).not.to.match(/scrypt\$|passwordHash/);
      const list = await call(w.admin.G.token, 'GET', '/admin/users?perPage=100');
      expect(list.body.items.map((u: { id: string }) => u.id)).to.include(w.adminGB.id);
    });

    it('given an administrator of B, when they change a user of B only, then 200 (authority within reach)', async () => {
      const res = await call(w.admin.B.token, 'PATCH', `/admin/users/${w.user.B.id}`, { locale: 'de' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    });

    it('given an administrator of B, when they add G to themselves or to a user of B, then 403; the global administrator may', async () => {
      expectProblem(await call(w.admin.B.token, 'PATCH', `/admin/users/${w.admin.B.id}`, { organizationIds: [w.org.B, w.org.G] }), 403);
      expectProblem(await call(w.admin.B.token, 'PATCH', `/admin/users/${w.user.B.id}`, { organizationIds: [w.org.B, w.org.A] }), 403);
      const target = await createUser(w.root, { organizationIds: [w.org.B], signIn: false });
      const res = await call(w.admin.G.token, 'PATCH', `/admin/users/${target.id}`, { organizationIds: [w.org.B, w.org.A] });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    });

    it('given an administrator of B, when they register a user in G, then 403; in B, then 201', async () => {
      const body = (organizationIds: string[]) => {
        const username = unique('reg');
        return { username, email: `${username}@example.test`, password: USER_PASSWORD, kind: 'backOffice', roles: ['user'], organizationIds };
      };
      expectProblem(await call(w.admin.B.token, 'POST', '/admin/users', body([w.org.B, w.org.G])), 403);
      expect((await call(w.admin.B.token, 'POST', '/admin/users', body([w.org.B]))).status).to.equal(201);
    });

    it('given a plain user, when they give themselves the admin role or another organization, then 403', async () => {
      expectProblem(await call(w.user.B.token, 'PATCH', `/admin/users/${w.user.B.id}`, { roles: ['admin'] }), 403);
      expectProblem(await call(w.user.B.token, 'PATCH', `/admin/users/${w.user.B.id}`, { organizationIds: [w.org.B, w.org.G] }), 403);
    });

    it('given a plain user, when they read their own history, then 200; another user\'s, 404', async () => {
      expect((await call(w.user.B.token, 'GET', `/admin/users/${w.user.B.id}/history`)).status).to.equal(200);
      expectProblem(await call(w.user.B.token, 'GET', `/admin/users/${w.admin.B.id}/history`), 404);
    });

    it('given an unknown organization id in an edit, then 400 naming organizationIds, as registration does', async () => {
      const res = await call(w.admin.G.token, 'PATCH', `/admin/users/${w.user.A.id}`, { organizationIds: ['no-such-org'] });
      expectProblem(res, 400);
      expectFieldError(res, 'organizationIds');
      expect((await call(w.admin.G.token, 'GET', `/admin/users/${w.user.A.id}`)).body.organizationIds).to.deep.equal([w.org.A]);
    });
  });

  describe('changing one\'s own password needs the current one', () => {
    it('given no current password, then 400 naming currentPassword; a wrong one, 403; nothing changes', async () => {
      const p = `/admin/users/${w.user.A.id}`;
      const missing = await call(w.user.A.token, 'PATCH', p, { password: 'new-password-456' });
      expectProblem(missing, 400);
      expectFieldError(missing, 'currentPassword');
      const wrong = await call(w.user.A.token, 'PATCH', p, { password: 'new-password-456', currentPassword: 'not-my-password' });
      expectProblem(wrong, 403);
      expectFieldError(wrong, 'currentPassword');
      expect((await w.signIn(w.user.A.username, w.org.A)).status).to.equal(200);
    });

    it('given the right current password, then 200 and the new password signs in', async () => {
      const res = await call(w.user.G.token, 'PATCH', `/admin/users/${w.user.G.id}`, { password: 'new-password-456', currentPassword: USER_PASSWORD });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect((await w.signIn(w.user.G.username, w.org.G, 'new-password-456')).status).to.equal(200);
    });

    it('given an administrator with authority resetting another user\'s password, then no current password is needed', async () => {
      const res = await call(w.admin.A.token, 'PATCH', `/admin/users/${w.user.A.id}`, { password: 'reset-by-admin-789' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect((await w.signIn(w.user.A.username, w.org.A, 'reset-by-admin-789')).status).to.equal(200);
    });
  });

  describe('scopes come from the API catalog', () => {
    let ownApp: string;
    before(async () => {
      const res = await call(w.user.B.token, 'POST', '/admin/me/oauth-applications', { name: unique('mine') });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      ownApp = res.body.id;
    });

    it('given a plain user, when they give their own application admin and scim:write, then 400 naming the scopes, nothing stored', async () => {
      const res = await call(w.user.B.token, 'PATCH', `/admin/oauth-applications/${ownApp}`, { scopes: ['admin', 'scim:write'] });
      expectProblem(res, 400);
      expectFieldError(res, 'scopes[0]');
      expectFieldError(res, 'scopes[1]');
      expect((await call(w.user.B.token, 'GET', `/admin/oauth-applications/${ownApp}`)).body.scopes).to.deep.equal([]);
    });

    it('given a plain user, when they give their own application the API\'s default scope, then 200', async () => {
      const res = await call(w.user.B.token, 'PATCH', `/admin/oauth-applications/${ownApp}`, { scopes: ['read'] });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    });

    it('given the global administrator, when they give the same application admin and scim:write, then 200 and its tokens carry them', async () => {
      const res = await call(w.admin.G.token, 'PATCH', `/admin/oauth-applications/${ownApp}`, { scopes: ['admin', 'scim:write'] });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.scopes).to.deep.equal(['admin', 'scim:write']);
    });

    it('given an unknown scope, or one of an API the application may not use, then 400 naming it (create and update alike)', async () => {
      const created = await ccApp(w.admin.G.token, { scopes: ['read', 'no-such-scope'] });
      expectProblem(created, 400);
      expectFieldError(created, 'scopes[1]');
      expect(created.body.errors[0].message).to.include('no-such-scope');
      const scimOnly = await ccApp(w.admin.G.token, { allApis: false, apis: ['scim'], scopes: ['scim:read'] });
      expect(scimOnly.status, JSON.stringify(scimOnly.body)).to.equal(201);
      const other = await call(w.admin.G.token, 'PATCH', `/admin/oauth-applications/${scimOnly.body.id}`, { scopes: ['scim:read', 'email:send'] });
      expectProblem(other, 400);
      expectFieldError(other, 'scopes[1]');
    });
  });

  describe('notification jobs are filtered like applications', () => {
    it('given a failed job of an application of A, then an administrator of B does not see it; of A and the global administrator do', async () => {
      const owner = await http(w.url, 'POST', '/admin/users', {
        token: w.admin.A.token,
        body: { username: unique('umlaut'), email: 'jürgen@example.test', password: USER_PASSWORD, kind: 'backOffice', roles: ['user'], organizationIds: [w.org.A] },
      });
      expect(owner.status, JSON.stringify(owner.body)).to.equal(201);
      const app = await ccApp(w.admin.A.token, { organizationId: w.org.A, ownerUserId: owner.body.id });
      expect(app.status, JSON.stringify(app.body)).to.equal(201);
      const jobsOf = async (token: string) =>
        ((await call(token, 'GET', '/admin/notification-jobs')).body.failed as Array<{ payload: { applicationId: string } }>).filter(
          (j) => j.payload.applicationId === app.body.id,
        );
      for (let i = 0; i < 100 && (await jobsOf(w.admin.G.token)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await jobsOf(w.admin.G.token)).to.have.length(1);
      expect(await jobsOf(w.admin.A.token)).to.have.length(1);
      expect(await jobsOf(w.admin.B.token)).to.have.length(0);
      const asB = await call(w.admin.B.token, 'GET', '/admin/notification-jobs');
      expect(asB.body).not.to.have.property('counts');
      expect((await call(w.admin.G.token, 'GET', '/admin/notification-jobs')).body).to.have.property('counts');
    });
  });

  describe('smaller ones', () => {
    it('given any admin response, success or error, then Cache-Control: no-store', async () => {
      for (const [token, p] of [[w.admin.G.token, '/admin/me'], [w.admin.G.token, '/admin/users'], [w.admin.G.token, `/admin/organizations/${w.org.A}`], ['', '/admin/users'], [w.admin.B.token, `/admin/users/${w.adminGB.id}`]] as const) {
        const res = await http(w.url, 'GET', p, token ? { token } : {});
        expect(res.headers['cache-control'], `${p} ${res.status}`).to.equal('no-store');
      }
    });

    it('given a template with {{if x}} (compiles, fails when rendered), then 400 naming the field; a real {{#if}} block is accepted', async () => {
      const template = (html: string) => ({ locale: 'en', subject: 'Hello {{applicationName}}', html, text: 'Text' });
      const bad = await call(w.admin.G.token, 'PUT', '/admin/email-templates/user_oauth_application_created', template('<p>{{if applicationName}}</p>'));
      expectProblem(bad, 400);
      expectFieldError(bad, 'html');
      expect(JSON.stringify(bad.body.errors)).to.include('options.fn is not a function');
      const good = await call(w.admin.G.token, 'PUT', '/admin/email-templates/user_oauth_application_created', template('<p>{{#if applicationName}}{{applicationName}}{{else}}none{{/if}}</p>'));
      expect(good.status, JSON.stringify(good.body)).to.equal(200);
    });
  });
});

describe('Tenant isolation: unsupported methods (issue 11)', function () {
  this.timeout(30_000);
  const lines: Array<{ level: number; msg: string; err?: { stack?: string } }> = [];
  let tollgate: Tollgate;
  let dir: TempDir;
  let token: string;
  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    dir = await createTempDir('tollgate-methods-');
    const config = loadConfig({
      PORT: String(await freePort()),
      DATA_DIR: dir.file('var'),
      KEYS_DIR: dir.file('keys'),
      ADMIN_PASSWORD,
      BOOTSTRAP_CLIENT_ID,
      BOOTSTRAP_CLIENT_SECRET,
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
    });
    tollgate = await startTollgate(config, createLogger({ level: 'debug' }, sink), { printBootstrap: false });
    token = await bootstrapAdminToken(tollgate.url);
  });
  after(async () => {
    await tollgate.stop();
    await dir.remove();
  });

  it('given TRACE, PROPFIND, MKCOL, LOCK or PURGE on any path, then 405 problem+json with Allow, logged below error level, no stack', async () => {
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'LOCK', 'PURGE']) {
      for (const p of ['/admin/users', '/oauth2-token', '/healthz', '/no-such-path']) {
        const res = await http(tollgate.url, method, p, { token });
        expectProblem(res, 405);
        expect(String(res.headers.allow)).to.include('GET');
      }
    }
    expect(lines.filter((l) => l.level >= 50)).to.deep.equal([]);
    expect(lines.some((l) => l.err?.stack !== undefined)).to.equal(false);
  });

  it('given a served method on the same paths, then it still answers', async () => {
    expect((await http(tollgate.url, 'GET', '/healthz')).status).to.equal(200);
    expect((await http(tollgate.url, 'GET', '/admin/me', { token })).status).to.equal(200);
  });
});
