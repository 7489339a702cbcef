import { expect } from 'chai';
import { generateKeyPair, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import {
  createApp,
  createOrganization,
  createUser,
  expectProblem,
  http,
  startAdmin,
  unique,
  type Admin,
  type TestUser,
} from './adminKit.js';

/**
 * Two organizations: A (the bootstrap one, global access) and B (no global access), with an
 * administrator of B, two plain users of B and a plain user of A.
 */
describe('Admin API: permissions across two organizations', () => {
  let admin: Admin;
  let orgB: string;
  let adminB: TestUser;
  let userB: TestUser;
  let userB2: TestUser;
  let userA: TestUser;
  let appA: string;
  let appOfUserB: string;
  let appOfUserB2: string;
  let appOfAdminB: string;

  before(async () => {
    admin = await startAdmin();
    orgB = await createOrganization(admin, unique('Org B'));
    [adminB, userB, userB2, userA] = await Promise.all([
      createUser(admin, { organizationIds: [orgB], roles: ['admin'] }),
      createUser(admin, { organizationIds: [orgB] }),
      createUser(admin, { organizationIds: [orgB] }),
      createUser(admin, { organizationIds: [admin.orgA] }),
    ]);
    appA = (await createApp(admin, { name: unique('A app') })).body.id;
    const mine = async (user: TestUser): Promise<string> => {
      const res = await http(admin.url, 'POST', '/admin/me/oauth-applications', { token: user.token, body: { name: unique('mine') } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body.id;
    };
    [appOfUserB, appOfUserB2, appOfAdminB] = await Promise.all([mine(userB), mine(userB2), mine(adminB)]);
  });
  after(async () => admin.server.stop());

  const get = (token: string, path: string) => http(admin.url, 'GET', path, { token });

  describe('a plain user of B', () => {
    it('cannot see or change applications of A or of another user: 404 for every route', async () => {
      for (const id of [appA, appOfUserB2, appOfAdminB]) {
        const base = `/admin/oauth-applications/${id}`;
        expectProblem(await get(userB.token, base), 404);
        expectProblem(await get(userB.token, `${base}/history`), 404);
        expectProblem(await http(admin.url, 'PATCH', base, { token: userB.token, body: { description: 'x' } }), 404);
        expectProblem(await http(admin.url, 'DELETE', base, { token: userB.token }), 404);
        for (const action of ['activate', 'deactivate', 'rotate-secret']) {
          expectProblem(await http(admin.url, 'POST', `${base}/${action}`, { token: userB.token }), 404);
        }
      }
      const untouched = await get(admin.token, `/admin/oauth-applications/${appOfUserB2}`);
      expect(untouched.body).to.include({ revision: 0, active: true });
    });

    it('manages their own application', async () => {
      const res = await http(admin.url, 'PATCH', `/admin/oauth-applications/${appOfUserB}`, { token: userB.token, body: { description: 'mine' } });
      expect(res.status).to.equal(200);
      expect((await get(userB.token, `/admin/oauth-applications/${appOfUserB}/history`)).status).to.equal(200);
    });

    it('sees only their own applications in the grid, whatever filter they send', async () => {
      const grid = await get(userB.token, '/admin/oauth-applications?perPage=100');
      expect(grid.body.items.map((a: { id: string }) => a.id)).to.deep.equal([appOfUserB]);
      const other = await get(userB.token, `/admin/oauth-applications?ownerUserId=${userB2.id}`);
      expect(other.body.total).to.equal(0);
      const orgA = await get(userB.token, `/admin/oauth-applications?organizationId=${admin.orgA}`);
      expect(orgA.body.total).to.equal(0);
    });

    it('cannot list users (403), nor read other users (404), nor change their own roles (403)', async () => {
      expectProblem(await get(userB.token, '/admin/users'), 403);
      expectProblem(await get(userB.token, `/admin/users/${userB2.id}`), 404);
      expectProblem(await get(userB.token, `/admin/users/${userB2.id}/oauth-applications`), 404);
      expect((await get(userB.token, `/admin/users/${userB.id}`)).status).to.equal(200);
      expectProblem(await http(admin.url, 'PATCH', `/admin/users/${userB.id}`, { token: userB.token, body: { roles: ['admin'] } }), 403);
      expectProblem(await http(admin.url, 'PATCH', `/admin/users/${userB2.id}`, { token: userB.token, body: { email: 'x@example.test' } }), 404);
      expectProblem(await http(admin.url, 'POST', '/admin/users', { token: userB.token, body: {} }), 403);
    });

    it('cannot create in another organization (403), nor through the administrators\' route (403)', async () => {
      const other = await http(admin.url, 'POST', '/admin/me/oauth-applications', {
        token: userB.token,
        body: { name: unique('elsewhere'), organizationId: admin.orgA },
      });
      expectProblem(other, 403);
      const adminRoute = await http(admin.url, 'POST', '/admin/oauth-applications', {
        token: userB.token,
        body: { name: unique('admin-route'), grants: ['client_credentials'] },
      });
      expectProblem(adminRoute, 403);
      expectProblem(await http(admin.url, 'POST', '/admin/organizations', { token: userB.token, body: { name: unique('o') } }), 403);
    });
  });

  describe('an administrator of B', () => {
    it('sees only B\'s applications in the grid', async () => {
      const grid = await get(adminB.token, '/admin/oauth-applications?perPage=100');
      expect(grid.status).to.equal(200);
      const ids = grid.body.items.map((a: { id: string }) => a.id);
      expect(ids).to.include.members([appOfUserB, appOfUserB2, appOfAdminB]).and.not.include(appA);
      expect(grid.body.items.every((a: { organizationId: string }) => a.organizationId === orgB)).to.equal(true);
      const orgA = await get(adminB.token, `/admin/oauth-applications?organizationId=${admin.orgA}`);
      expect(orgA.body.total).to.equal(0);
    });

    it('cannot GET A\'s applications (404) but manages every application of B', async () => {
      expectProblem(await get(adminB.token, `/admin/oauth-applications/${appA}`), 404);
      expectProblem(await http(admin.url, 'POST', `/admin/oauth-applications/${appA}/deactivate`, { token: adminB.token }), 404);
      const res = await http(admin.url, 'PATCH', `/admin/oauth-applications/${appOfUserB2}`, { token: adminB.token, body: { scopes: ['scim:read'] } });
      expect(res.status).to.equal(200);
    });

    it('cannot create organizations, nor applications or users in A (403)', async () => {
      expectProblem(await http(admin.url, 'POST', '/admin/organizations', { token: adminB.token, body: { name: unique('o') } }), 403);
      expectProblem(
        await http(admin.url, 'POST', '/admin/oauth-applications', {
          token: adminB.token,
          body: { name: unique('in A'), grants: ['password'], organizationId: admin.orgA },
        }),
        403,
      );
      expectProblem(
        await http(admin.url, 'POST', '/admin/users', {
          token: adminB.token,
          body: { username: unique('u'), email: 'u@example.test', password: 'password-123', kind: 'backOffice', roles: ['user'], organizationIds: [admin.orgA] },
        }),
        403,
      );
      expectProblem(await http(admin.url, 'PATCH', `/admin/organizations/${admin.orgA}`, { token: adminB.token, body: { name: 'taken over' } }), 404);
    });

    it('lists only B\'s users and organizations; A\'s users are 404', async () => {
      const users = await get(adminB.token, '/admin/users?perPage=100');
      expect(users.status).to.equal(200);
      expect(users.body.items.map((u: { id: string }) => u.id)).to.have.members([adminB.id, userB.id, userB2.id]);
      expectProblem(await get(adminB.token, `/admin/users/${userA.id}`), 404);
      expectProblem(await get(adminB.token, `/admin/users/${admin.adminId}/oauth-applications`), 404);
      const orgs = await get(adminB.token, '/admin/organizations');
      expect(orgs.body.items.map((o: { id: string }) => o.id)).to.deep.equal([orgB]);
      expectProblem(await get(adminB.token, `/admin/organizations/${admin.orgA}`), 404);
    });

    it('creates applications in B with any grant, for a user of B', async () => {
      const res = await http(admin.url, 'POST', '/admin/oauth-applications', {
        token: adminB.token,
        body: { name: unique('B cc'), grants: ['client_credentials'], ownerUserId: userB.id },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.include({ organizationId: orgB, ownerUserId: userB.id });
    });
  });

  describe('a plain user of A (the global-access organization)', () => {
    it('still sees only their own applications', async () => {
      expectProblem(await get(userA.token, `/admin/oauth-applications/${appA}`), 404);
      expectProblem(await get(userA.token, `/admin/oauth-applications/${appOfUserB}`), 404);
      const grid = await get(userA.token, '/admin/oauth-applications');
      expect(grid.body.total).to.equal(0);
    });

    it('may create a "My User" application in B (global access)', async () => {
      const res = await http(admin.url, 'POST', '/admin/me/oauth-applications', {
        token: userA.token,
        body: { name: unique('A user in B'), organizationId: orgB },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.include({ organizationId: orgB, ownerUserId: userA.id });
    });
  });

  describe('a global-access administrator', () => {
    it('creates in B and sees everything', async () => {
      const res = await http(admin.url, 'POST', '/admin/oauth-applications', {
        token: admin.token,
        body: { name: unique('global in B'), grants: ['client_credentials'], organizationId: orgB, ownerUserId: userB2.id },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.organizationId).to.equal(orgB);
      const pwd = await http(admin.url, 'POST', '/admin/oauth-applications', {
        token: admin.token,
        body: { name: unique('global pwd in B'), grants: ['password'], organizationId: orgB },
      });
      expect(pwd.status).to.equal(201);
      expect((await get(admin.token, `/admin/oauth-applications/${appOfUserB2}`)).status).to.equal(200);
      const grid = await get(admin.token, `/admin/oauth-applications?organizationId=${orgB}&perPage=100`);
      expect(grid.body.items.map((a: { id: string }) => a.id)).to.include.members([appOfUserB, appOfUserB2, appOfAdminB, res.body.id]);
    });

    it('cannot name an owner outside the target organization (400 naming ownerUserId)', async () => {
      const res = await http(admin.url, 'POST', '/admin/oauth-applications', {
        token: admin.token,
        body: { name: unique('wrong owner'), grants: ['client_credentials'], organizationId: orgB, ownerUserId: userA.id },
      });
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).to.include('ownerUserId');
    });
  });

  describe('authentication', () => {
    const routes = ['/admin/me', '/admin/users', '/admin/organizations', '/admin/oauth-applications', '/admin/me/oauth-applications', '/admin/notification-jobs'];

    it('given no token, when any admin route is called, then 401 with WWW-Authenticate', async () => {
      for (const path of routes) {
        const res = await http(admin.url, 'GET', path);
        expectProblem(res, 401);
        expect(res.headers['www-authenticate']).to.match(/^Bearer/);
      }
      expectProblem(await http(admin.url, 'POST', '/admin/oauth-applications', { body: { name: 'x', grants: ['password'] } }), 401);
    });

    it('given a garbage or malformed token, when called, then 401 (never 500)', async () => {
      for (const token of ['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'x'.repeat(4000)]) {
        expectProblem(await http(admin.url, 'GET', '/admin/me', { token }), 401);
      }
      const basic = await http(admin.url, 'GET', '/admin/me', { headers: { authorization: 'Basic YTpi' } });
      expectProblem(basic, 401);
    });

    it('given a token signed by a foreign key with the same claims and kid, when called, then 401', async () => {
      const header = decodeProtectedHeader(admin.token);
      const claims = decodeJwt(admin.token);
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: header.kid! }).sign(privateKey);
      expectProblem(await http(admin.url, 'GET', '/admin/me', { token: forged }), 401);
      expectProblem(await http(admin.url, 'GET', '/admin/oauth-applications', { token: forged }), 401);
    });

    it('given a disabled user, when their token is used, then 401 at once', async () => {
      const victim = await createUser(admin, { organizationIds: [orgB] });
      expect((await get(victim.token, '/admin/me')).status).to.equal(200);
      const res = await http(admin.url, 'PATCH', `/admin/users/${victim.id}`, { token: admin.token, body: { enabled: false } });
      expect(res.status).to.equal(200);
      expectProblem(await get(victim.token, '/admin/me'), 401);
    });
  });
});
