import { expect } from 'chai';
import {
  createOrganization,
  createUser,
  etag,
  expectFieldError,
  expectProblem,
  http,
  startAdmin,
  type Admin,
  type TestUser,
} from './adminKit.js';

const TEMPLATE = '/admin/email-templates/user_oauth_application_created';
const RULE = '/admin/notification-rules/oauth-application-created';

describe('Admin API: email templates, notification rules and jobs', () => {
  let admin: Admin;
  let plain: TestUser;
  let adminB: TestUser;
  before(async () => {
    admin = await startAdmin();
    const orgB = await createOrganization(admin);
    [plain, adminB] = await Promise.all([
      createUser(admin, { organizationIds: [admin.orgA] }),
      createUser(admin, { organizationIds: [orgB], roles: ['admin'] }),
    ]);
  });
  after(async () => admin.server.stop());

  const template = { locale: 'en', subject: 'New app {{applicationName}}', html: '<p>{{clientId}}</p>', text: 'Client {{clientId}}' };

  describe('GET/PUT /admin/email-templates/:name', () => {
    it('given the shipped default, when read, then it lists locales and the allowed variables (never the secret)', async () => {
      const res = await http(admin.url, 'GET', TEMPLATE, { token: admin.token });
      expect(res.status).to.equal(200);
      expect(res.body.name).to.equal('user_oauth_application_created');
      expect(res.body.locales).to.have.property('en');
      expect(res.body.variables).to.include('applicationName').and.not.include('clientSecret');
    });

    it('given a valid template, when saved, then it is read back with a new ETag; a stale If-Match is 412', async () => {
      const before = await http(admin.url, 'GET', TEMPLATE, { token: admin.token });
      const res = await http(admin.url, 'PUT', TEMPLATE, { token: admin.token, body: template, headers: { 'if-match': etag(before) } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.locales.en).to.include({ subject: template.subject });
      expect(res.body.customizedLocales).to.include('en');
      expect(etag(res)).not.to.equal(etag(before));
      const stale = await http(admin.url, 'PUT', TEMPLATE, { token: admin.token, body: { ...template, subject: 'x' }, headers: { 'if-match': etag(before) } });
      expectProblem(stale, 412);
    });

    it('given a template that does not compile, then 400 with the compile error on the field', async () => {
      const res = await http(admin.url, 'PUT', TEMPLATE, { token: admin.token, body: { ...template, html: '<p>{{#if applicationName}}unclosed</p>' } });
      expectProblem(res, 400);
      const html = res.body.errors.find((e: { field: string }) => e.field === 'html');
      expect(html.message).to.match(/does not compile/);
    });

    it('given an unknown variable, the secret, or a bad shape, then 400 naming the field', async () => {
      for (const [body, field] of [
        [{ ...template, text: '{{clientSecret}}' }, 'text'],
        [{ ...template, subject: '{{aplicationName}}' }, 'subject'],
        [{ ...template, extra: 1 }, 'extra'],
        [{ ...template, subject: 5 }, 'subject'],
        [{ subject: 's', html: 'h', text: 't' }, 'locale'],
      ] as const) {
        const res = await http(admin.url, 'PUT', TEMPLATE, { token: admin.token, body });
        expectProblem(res, 400);
        expectFieldError(res, field);
      }
    });

    it('given an unknown template name, then 404', async () => {
      expectProblem(await http(admin.url, 'GET', '/admin/email-templates/nope', { token: admin.token }), 404);
      expectProblem(await http(admin.url, 'PUT', '/admin/email-templates/nope', { token: admin.token, body: template }), 404);
    });
  });

  describe('GET/PUT /admin/notification-rules/:name', () => {
    it('given the default rule, when read and changed, then the change is returned and kept', async () => {
      const res = await http(admin.url, 'GET', RULE, { token: admin.token });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ enabled: true, recipients: { owner: true, addresses: [] } });
      const put = await http(admin.url, 'PUT', RULE, { token: admin.token, body: { enabled: true, recipients: { owner: false, addresses: ['audit@example.test'] } } });
      expect(put.status, JSON.stringify(put.body)).to.equal(200);
      const again = await http(admin.url, 'GET', RULE, { token: admin.token });
      expect(again.body.recipients).to.deep.equal({ owner: false, addresses: ['audit@example.test'] });
    });

    it('given bad input, then 400 naming the field; an unknown rule is 404', async () => {
      for (const [body, field] of [
        [{ enabled: 'yes', recipients: { owner: true, addresses: [] } }, 'enabled'],
        [{ enabled: true, recipients: { owner: true, addresses: ['not an address'] } }, 'recipients.addresses'],
        [{ enabled: true }, 'recipients'],
      ] as const) {
        const res = await http(admin.url, 'PUT', RULE, { token: admin.token, body });
        expectProblem(res, 400);
        expectFieldError(res, field);
      }
      expectProblem(await http(admin.url, 'GET', '/admin/notification-rules/nope', { token: admin.token }), 404);
    });
  });

  describe('GET /admin/notification-jobs', () => {
    it('given an administrator, when read, then queue counts and failed jobs are listed', async () => {
      const res = await http(admin.url, 'GET', '/admin/notification-jobs', { token: admin.token });
      expect(res.status).to.equal(200);
      expect(res.body).to.have.keys(['queue', 'counts', 'failed']);
      expect(res.body.failed).to.be.an('array');
    });
  });

  describe('permissions', () => {
    it('given a non-admin, when any of these routes is called, then 403', async () => {
      for (const path of [TEMPLATE, RULE, '/admin/notification-jobs']) {
        expectProblem(await http(admin.url, 'GET', path, { token: plain.token }), 403);
      }
      expectProblem(await http(admin.url, 'PUT', TEMPLATE, { token: plain.token, body: template }), 403);
      expectProblem(await http(admin.url, 'PUT', RULE, { token: plain.token, body: { enabled: false, recipients: { owner: true, addresses: [] } } }), 403);
    });

    it('given an administrator without global access, when changing system-wide settings, then 403 (reading is allowed)', async () => {
      expect((await http(admin.url, 'GET', TEMPLATE, { token: adminB.token })).status).to.equal(200);
      expectProblem(await http(admin.url, 'PUT', TEMPLATE, { token: adminB.token, body: template }), 403);
      expectProblem(await http(admin.url, 'PUT', RULE, { token: adminB.token, body: { enabled: false, recipients: { owner: true, addresses: [] } } }), 403);
    });

    it('given no token, then 401', async () => {
      expectProblem(await http(admin.url, 'GET', TEMPLATE), 401);
      expectProblem(await http(admin.url, 'PUT', RULE, { body: {} }), 401);
    });
  });
});
