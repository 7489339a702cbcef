import { expect } from 'chai';
import {
  clientToken,
  createOrganization,
  createUser,
  etag,
  expectFieldError,
  expectNoHashes,
  expectProblem,
  http,
  passwordToken,
  startAdmin,
  unique,
  USER_PASSWORD,
  type Admin,
} from './adminKit.js';

describe('Admin API: identities and "My User"', () => {
  let admin: Admin;
  before(async () => {
    admin = await startAdmin();
  });
  after(async () => admin.server.stop());

  describe('/admin/me', () => {
    it('given the bootstrap administrator, when /admin/me is read, then it shows the caller with global access and no hash', async () => {
      const res = await http(admin.url, 'GET', '/admin/me', { token: admin.token });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ username: 'admin', kind: 'backOffice', globalAccess: true, enabled: true, locked: false });
      expect(res.body.roles).to.deep.equal(['admin']);
      expect(etag(res)).to.match(/^W\/"\d+"$/);
      expectNoHashes(res.body);
      expect(JSON.stringify(res.body)).not.to.match(/password/i);
    });
  });

  describe('/admin/me/oauth-applications', () => {
    it('given a plain user, when they add an application, then it is client credentials, owned by them, in their organization', async () => {
      const org = await createOrganization(admin);
      const user = await createUser(admin, { organizationIds: [org] });
      const res = await http(admin.url, 'POST', '/admin/me/oauth-applications', { token: user.token, body: { name: unique('Mine'), active: false } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.include({ ownerUserId: user.id, organizationId: org, active: false });
      expect(res.body.grants).to.deep.equal(['client_credentials']);
      expect(res.body.clientSecret).to.be.a('string');
      expectNoHashes(res.body);

      const list = await http(admin.url, 'GET', '/admin/me/oauth-applications', { token: user.token });
      expect(list.body.items.map((a: { id: string }) => a.id)).to.deep.equal([res.body.id]);
      expect(list.body.items[0]).not.to.have.property('clientSecret');
      const perUser = await http(admin.url, 'GET', `/admin/users/${user.id}/oauth-applications`, { token: admin.token });
      expect(perUser.body.items.map((a: { id: string }) => a.id)).to.deep.equal([res.body.id]);
      const ownView = await http(admin.url, 'GET', `/admin/users/${user.id}/oauth-applications`, { token: user.token });
      expect(ownView.body.total).to.equal(1);
    });

    for (const [field, value] of [
      ['grants', ['password']],
      ['ownerUserId', 'someone'],
      ['scopes', ['a']],
      ['allApis', false],
      ['description', 'x'],
    ] as const) {
      it(`given ${field} in the body, then 400 naming it (only name, organizationId, active apply)`, async () => {
        const res = await http(admin.url, 'POST', '/admin/me/oauth-applications', { token: admin.token, body: { name: unique('x'), [field]: value } });
        expectProblem(res, 400);
        expectFieldError(res, field);
      });
    }

    it('lists only the caller\'s client-credentials applications (not their password apps)', async () => {
      const cc = await http(admin.url, 'POST', '/admin/me/oauth-applications', { token: admin.token, body: { name: unique('MyCc') } });
      const pwd = await http(admin.url, 'POST', '/admin/oauth-applications', { token: admin.token, body: { name: unique('MyPwd'), grants: ['password'], ownerUserId: admin.adminId } });
      expect(pwd.status).to.equal(201);
      const list = await http(admin.url, 'GET', '/admin/me/oauth-applications?perPage=100', { token: admin.token });
      const ids = list.body.items.map((a: { id: string }) => a.id);
      expect(ids).to.include(cc.body.id).and.not.include(pwd.body.id);
      expect(list.body.items.every((a: { ownerUserId: string }) => a.ownerUserId === admin.adminId)).to.equal(true);
      expectProblem(await http(admin.url, 'GET', '/admin/me/oauth-applications?perPage=0', { token: admin.token }), 400);
    });
  });

  describe('/admin/users', () => {
    it('given an administrator, when a user is created, listed, read, then no password or hash shows', async () => {
      const username = unique('Ursula');
      const res = await http(admin.url, 'POST', '/admin/users', {
        token: admin.token,
        body: { username, email: 'ursula@example.test', password: USER_PASSWORD, kind: 'backOffice', roles: ['user'], organizationIds: [admin.orgA], locale: 'de' },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.headers.location).to.equal(`/admin/users/${res.body.id}`);
      expect(res.body).to.include({ username, email: 'ursula@example.test', locale: 'de', enabled: true, locked: false });
      const list = await http(admin.url, 'GET', '/admin/users?perPage=100', { token: admin.token });
      expect(list.body.items.map((u: { id: string }) => u.id)).to.include(res.body.id);
      const one = await http(admin.url, 'GET', `/admin/users/${res.body.id}`, { token: admin.token });
      expect(one.status).to.equal(200);
      for (const body of [res.body, list.body, one.body]) {
        expectNoHashes(body);
        expect(JSON.stringify(body)).not.to.include(USER_PASSWORD);
      }
    });

    it('given a duplicate username (any case), then 409; given bad fields, then 400 naming them', async () => {
      const user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
      const base = { email: 'a@example.test', password: USER_PASSWORD, kind: 'backOffice', roles: ['user'], organizationIds: [admin.orgA] };
      expectProblem(await http(admin.url, 'POST', '/admin/users', { token: admin.token, body: { ...base, username: user.username.toUpperCase() } }), 409);
      for (const [patch, field] of [
        [{ password: 'short' }, 'password'],
        [{ roles: ['root'] }, 'roles'],
        [{ roles: [] }, 'roles'],
        [{ kind: 'robot' }, 'kind'],
        [{ email: 'not-an-email' }, 'email'],
        [{ organizationIds: [] }, 'organizationIds'],
        [{ organizationIds: ['no-such-org'] }, 'organizationIds'],
        [{ username: '' }, 'username'],
        [{ isAdmin: true }, 'isAdmin'],
      ] as const) {
        const res = await http(admin.url, 'POST', '/admin/users', { token: admin.token, body: { username: unique('u'), ...base, ...patch } });
        expectProblem(res, res.status === 403 ? 403 : 400);
        if (res.status === 400) expectFieldError(res, field);
      }
    });

    it('given PATCH of roles, enabled, locked, password, email, then each takes effect', async () => {
      const user = await createUser(admin, { organizationIds: [admin.orgA] });
      const path = `/admin/users/${user.id}`;
      const roles = await http(admin.url, 'PATCH', path, { token: admin.token, body: { roles: ['admin', 'user'] } });
      expect(roles.status, JSON.stringify(roles.body)).to.equal(200);
      expect(roles.body.roles).to.have.members(['admin', 'user']);
      expect((await http(admin.url, 'GET', '/admin/users', { token: user.token })).status).to.equal(200);

      const email = await http(admin.url, 'PATCH', path, { token: user.token, body: { email: 'new@example.test' }, headers: { 'if-match': etag(roles) } });
      expect(email.status).to.equal(200);
      expect(email.body.email).to.equal('new@example.test');
      expectProblem(await http(admin.url, 'PATCH', path, { token: admin.token, body: { email: 'x@example.test' }, headers: { 'if-match': etag(roles) } }), 412);

      const pwd = await http(admin.url, 'PATCH', path, { token: admin.token, body: { password: 'another-password-1' } });
      expect(pwd.status).to.equal(200);
      expectNoHashes(pwd.body);
      expect((await passwordToken(admin, user.username)).status).to.equal(400);
      expect((await passwordToken(admin, user.username, 'another-password-1')).status).to.equal(200);

      const locked = await http(admin.url, 'PATCH', path, { token: admin.token, body: { locked: true } });
      expect(locked.body.locked).to.equal(true);
      expect((await passwordToken(admin, user.username, 'another-password-1')).status).to.equal(400);
      const unlocked = await http(admin.url, 'PATCH', path, { token: admin.token, body: { locked: false } });
      expect(unlocked.body.locked).to.equal(false);
      expect((await passwordToken(admin, user.username, 'another-password-1')).status).to.equal(200);

      const disabled = await http(admin.url, 'PATCH', path, { token: admin.token, body: { enabled: false } });
      expect(disabled.body.enabled).to.equal(false);
      expect((await passwordToken(admin, user.username, 'another-password-1')).status).to.equal(400);
      const enabled = await http(admin.url, 'PATCH', path, { token: admin.token, body: { enabled: true } });
      expect(enabled.body.enabled).to.equal(true);

      for (const [body, field] of [[{ roles: 'admin' }, 'roles'], [{ enabled: 'no' }, 'enabled'], [{ username: 'rename' }, 'username'], [{ password: 'short' }, 'password']] as const) {
        const res = await http(admin.url, 'PATCH', path, { token: admin.token, body });
        expectProblem(res, 400);
        expectFieldError(res, field);
      }
    });
  });

  describe('/admin/organizations', () => {
    it('given a global-access administrator, when an organization is created, listed, read and edited, then each works', async () => {
      const name = unique('Org');
      const created = await http(admin.url, 'POST', '/admin/organizations', { token: admin.token, body: { name } });
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ name, globalAccess: false, enabled: true });
      const id = created.body.id as string;
      const list = await http(admin.url, 'GET', '/admin/organizations?perPage=100', { token: admin.token });
      expect(list.body.items.map((o: { id: string }) => o.id)).to.include(id);
      const one = await http(admin.url, 'GET', `/admin/organizations/${id}`, { token: admin.token });
      expect(one.body).to.include({ id, name });

      const renamed = await http(admin.url, 'PATCH', `/admin/organizations/${id}`, { token: admin.token, body: { name: `${name}-2` }, headers: { 'if-match': etag(one) } });
      expect(renamed.status).to.equal(200);
      expect(renamed.body.name).to.equal(`${name}-2`);
      expectProblem(await http(admin.url, 'PATCH', `/admin/organizations/${id}`, { token: admin.token, body: { name: 'stale' }, headers: { 'if-match': etag(one) } }), 412);

      const disabled = await http(admin.url, 'PATCH', `/admin/organizations/${id}`, { token: admin.token, body: { enabled: false } });
      expect(disabled.body.enabled).to.equal(false);
      const inDisabled = await http(admin.url, 'POST', '/admin/oauth-applications', { token: admin.token, body: { name: unique('x'), grants: ['password'], organizationId: id } });
      expectProblem(inDisabled, 400);
    });

    it('given bad input, then 400 naming the field', async () => {
      for (const [body, field] of [
        [{ name: 'n'.repeat(256) }, 'name'],
        [{ name: '' }, 'name'],
        [{ name: 5 }, 'name'],
        [{ name: 'ok', globalAccess: 'yes' }, 'globalAccess'],
        [{ name: 'ok', owner: 'me' }, 'owner'],
      ] as const) {
        const res = await http(admin.url, 'POST', '/admin/organizations', { token: admin.token, body });
        expectProblem(res, 400);
        expectFieldError(res, field);
      }
      expectProblem(await http(admin.url, 'GET', '/admin/organizations?page=-1', { token: admin.token }), 400);
    });
  });

  it('given client credentials of a "My User" app, when its token calls /admin/me, then it acts as the owner', async () => {
    const org = await createOrganization(admin);
    const user = await createUser(admin, { organizationIds: [org] });
    const app = await http(admin.url, 'POST', '/admin/me/oauth-applications', { token: user.token, body: { name: unique('Acts') } });
    const token = await clientToken(admin.url, app.body.clientId, app.body.clientSecret);
    const me = await http(admin.url, 'GET', '/admin/me', { token: token.body.access_token });
    expect(me.body.id).to.equal(user.id);
  });
});
