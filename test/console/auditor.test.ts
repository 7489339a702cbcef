import { expect } from 'chai';
import { READ_ONLY_REFUSAL } from '../../src/authorization/readOnlyAccess.js';
import { bootstrapAdminToken, http, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { consoleHttp, type ConsoleHttp } from './support/consoleClient.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Console POSTs open to everyone or to a read-only caller too: signing in and out, and the
 * OAuth protocol's steps for oneself (granting an application access as oneself at the
 * authorization endpoint, revoking that grant), as the admin API leaves the token endpoints;
 * and the storefront (customer) sign-in and decision at the authorization endpoint, which no
 * console session reaches (a back-office user, an auditor included, is refused there).
 */
const NOT_WRITES = [
  'POST /console/sign-in',
  'POST /console/sign-out',
  'POST /console/authorize',
  'POST /console/me/consents/:applicationId/revoke',
  'POST /console/authorize/sign-in',
  'POST /console/authorize/decision',
];
const TEMPLATE = 'user_oauth_application_created';
const RULE = 'oauth-application-created';
const AUDITOR_PASSWORD = 'auditor-password-123';

/**
 * Issue 14's auditor in the console (issue 13), through real HTTP: the pages an administrator
 * of the same organizations sees, without write buttons, and every console write refused 403
 * with the admin API's refusal (readOnlyAccess.writeRefusal), nothing written. The write cases
 * are checked against the server's own route list (test/reliability/auditorRole.test.ts covers
 * the admin API's routes and leaves /console/ to this test), so a console write route added
 * without a case here fails.
 */
describe('console: the auditor (read-only) sees no write buttons, and every console write is refused', function () {
  this.timeout(60_000);
  let server: TestServer;
  let adminToken: string;
  let organizationId: string;
  let app: { id: string; name: string };
  let userId: string;
  let client: ConsoleHttp;

  const created = (res: { status: number; body: any }) => {
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  };

  before(async () => {
    server = await startTestServer();
    adminToken = await bootstrapAdminToken(server.url);
    organizationId = (await http(server.url, 'GET', '/admin/organizations', { token: adminToken })).body.items[0].id;
    app = created(await http(server.url, 'POST', '/admin/oauth-applications', {
      token: adminToken,
      body: { name: 'Audited app', grants: ['client_credentials'], organizationId },
    }));
    userId = created(await http(server.url, 'POST', '/admin/users', {
      token: adminToken,
      body: { username: 'plain', email: 'plain@example.com', password: 'plain-password-123', kind: 'backOffice', roles: ['user'], organizationIds: [organizationId] },
    })).id;
    created(await http(server.url, 'POST', '/admin/users', {
      token: adminToken,
      body: { username: 'auditor', email: 'auditor@example.com', password: AUDITOR_PASSWORD, kind: 'backOffice', roles: ['auditor'], organizationIds: [organizationId] },
    }));
    client = consoleHttp(server.url);
    const signIn = await client.signIn('auditor', AUDITOR_PASSWORD);
    expect(signIn.status, signIn.html).to.equal(303);
  });
  after(() => server?.stop());

  /** Every console write route, with a real target and a plausible form. */
  const WRITES: Record<string, () => { path: string; fields: Record<string, string> }> = {
    'POST /console/oauth-applications': () => ({ path: '/console/oauth-applications', fields: { name: 'x', grant: 'client_credentials', ownerUserId: userId, allApis: 'on', active: 'on' } }),
    'POST /console/customer-user-oauth-applications': () => ({ path: '/console/customer-user-oauth-applications', fields: { name: 'x', grant: 'password', allApis: 'on' } }),
    'POST /console/oauth-applications/:id/edit': () => ({ path: `/console/oauth-applications/${app.id}/edit`, fields: { name: 'renamed' } }),
    'POST /console/oauth-applications/:id/activate': () => ({ path: `/console/oauth-applications/${app.id}/activate`, fields: {} }),
    'POST /console/oauth-applications/:id/deactivate': () => ({ path: `/console/oauth-applications/${app.id}/deactivate`, fields: {} }),
    'POST /console/oauth-applications/:id/delete': () => ({ path: `/console/oauth-applications/${app.id}/delete`, fields: {} }),
    'POST /console/oauth-applications/:id/rotate-secret': () => ({ path: `/console/oauth-applications/${app.id}/rotate-secret`, fields: {} }),
    'POST /console/me/oauth-applications': () => ({ path: '/console/me/oauth-applications', fields: { name: 'mine', active: 'on', allApis: 'on' } }),
    'POST /console/users/:id/oauth-applications': () => ({ path: `/console/users/${userId}/oauth-applications`, fields: { name: 'theirs', active: 'on', allApis: 'on' } }),
    'POST /console/users': () => ({ path: '/console/users', fields: { username: 'newbie', email: 'newbie@example.com', password: 'newbie-password-1', kind: 'backOffice', roles: 'user', organizationIds: organizationId } }),
    'POST /console/users/:id/edit': () => ({ path: `/console/users/${userId}/edit`, fields: { email: 'changed@example.com', roles: 'user', organizationIds: organizationId, enabled: 'on' } }),
    'POST /console/organizations': () => ({ path: '/console/organizations', fields: { name: 'New org' } }),
    'POST /console/organizations/:id/edit': () => ({ path: `/console/organizations/${organizationId}/edit`, fields: { name: 'Renamed org', enabled: 'on' } }),
    'POST /console/email-templates/:name': () => ({ path: `/console/email-templates/${TEMPLATE}`, fields: { locale: 'en', subject: 's', html: '<p>h</p>', text: 't', action: 'save' } }),
    'POST /console/notification-rules/:name': () => ({ path: `/console/notification-rules/${RULE}`, fields: { enabled: 'on', owner: 'on', addresses: '' } }),
    // The refusal comes before the job is looked up: an id that exists or not, the same 403.
    'POST /console/notification-jobs/:jobId/retry': () => ({ path: '/console/notification-jobs/any-job/retry', fields: {} }),
  };

  it("given the server's route list, then every console write route has a case here (a new one without a case fails)", () => {
    const writes = server.tollgate.routes
      .filter((r) => r.path.startsWith('/console') && !READ_METHODS.has(r.method))
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !NOT_WRITES.includes(r));
    expect(writes.sort()).to.deep.equal(Object.keys(WRITES).sort());
  });

  for (const route of Object.keys(WRITES)) {
    it(`given the auditor's console session, when ${route}, then 403 "${READ_ONLY_REFUSAL}" and nothing written`, async () => {
      const { path, fields } = WRITES[route]!();
      const csrf = await client.csrf();
      const before = await server.tollgate.store.headPosition();
      const res = await client.post(path, fields, { csrf });
      expect(res.status, res.html).to.equal(403);
      expect(res.html).to.contain(READ_ONLY_REFUSAL);
      expect(await server.tollgate.store.headPosition()).to.equal(before);
    });
  }

  it('given the auditor, then they see the grid, the application, users, organizations and templates as an administrator does, without write buttons', async () => {
    const grid = await client.get('/console/oauth-applications');
    expect(grid.status).to.equal(200);
    expect(grid.html).to.contain('Audited app').and.not.contain('Create OAuth Application');
    expect(grid.html).not.to.match(new RegExp(`/console/oauth-applications/${app.id}/(edit|deactivate|delete|rotate-secret)`));

    const view = await client.get(`/console/oauth-applications/${app.id}`);
    expect(view.status).to.equal(200);
    expect(view.html).to.contain('Audited app');
    expect(view.html).not.to.match(new RegExp(`/console/oauth-applications/${app.id}/(edit|deactivate|delete|rotate-secret)`));

    const me = await client.get('/console/me');
    expect(me.status).to.equal(200);
    expect(me.html).not.to.contain('Add Application').and.not.contain('action="/console/me/oauth-applications"');

    const users = await client.get('/console/users');
    expect(users.status).to.equal(200);
    expect(users.html).to.contain('plain').and.not.contain('Create User');
    const user = await client.get(`/console/users/${userId}`);
    expect(user.status).to.equal(200);
    expect(user.html).not.to.contain(`/console/users/${userId}/edit`).and.not.contain('Add Application');

    const organizations = await client.get('/console/organizations');
    expect(organizations.status).to.equal(200);
    expect(organizations.html).not.to.contain('Create Organization').and.not.contain(`/console/organizations/${organizationId}/edit`);

    const template = await client.get(`/console/email-templates/${TEMPLATE}`);
    expect(template.status).to.equal(200);
    expect(template.html).not.to.contain('value="save"');
  });

  it('given the auditor, then signing out still works (the one console POST they may send)', async () => {
    const other = consoleHttp(server.url);
    expect((await other.signIn('auditor', AUDITOR_PASSWORD)).status).to.equal(303);
    const out = await other.post('/console/sign-out', {});
    expect(out.status).to.equal(303);
    expect((await other.get('/console/me')).status).to.equal(303);
  });
});
