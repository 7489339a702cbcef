import { expect } from 'chai';
import type { RouteEntry } from '../../src/app/routeList.js';
import { READ_ONLY_REFUSAL } from '../../src/authorization/readOnlyAccess.js';
import { createUser } from '../admin/adminKit.js';
import { clientToken } from '../support/tollgateServer.js';
import {
  expectFieldError,
  expectProblem,
  http,
  startThreeOrganizations,
  unique,
  USER_PASSWORD,
  type HttpResult,
  type TestUser,
  type ThreeOrganizations,
} from '../support/threeOrganizations.js';

type Pair = 'B' | 'G';
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TEMPLATE = '/admin/email-templates/user_oauth_application_created';
const RULE = '/admin/notification-rules/oauth-application-created';
/**
 * Write routes that are not the registry's: the OAuth protocol endpoints, authenticated by the
 * client, not by a user's bearer token. An auditor's client_credentials application obtains
 * (auditor) tokens there, and a client may revoke its own tokens.
 */
const OAUTH_PROTOCOL_WRITES = ['POST /oauth2-token', 'POST /oauth2-token/introspect', 'POST /oauth2-token/revoke'];
/** Reads that answer about the caller themselves, checked on their own below. */
const SELF_READS = ['GET /admin/me', 'GET /admin/me/oauth-applications'];

const key = (r: RouteEntry): string => `${r.method} ${r.path}`;

/**
 * Issue 14's auditor role through real HTTP on the three-organization setup of issue 11: an
 * auditor of B and an auditor of G (global access) read exactly what the administrator of the
 * same organizations reads, nothing of other organizations, and every write route answers them
 * 403 "Auditors have read-only access." with nothing written. The write and read cases are
 * checked against the server's own route list, so a route added without a case here fails.
 */
describe('The auditor role: reads what an administrator of the same organizations reads, changes nothing (issue 14)', function () {
  this.timeout(120_000);
  let w: ThreeOrganizations;
  let auditor: Record<Pair, TestUser>;
  let admin: Record<Pair, TestUser>;
  let apps: { A: string; B: string; G: string; deletedB: string };
  let auditorsApp: { id: string; clientId: string; clientSecret: string };
  let asOf: string;

  const call = (token: string, method: string, path: string, body?: unknown): Promise<HttpResult> => http(w.url, method, path, { token, body });
  const created = (res: HttpResult): HttpResult => {
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    return res;
  };
  /**
   * After tokens were issued (their 200s received): flushes the coalesced last-use buffer, so the
   * read model holds the application's final last use, then checks (up to 10 s) that it shows.
   */
  const lastUseProjected = async (token: string, id: string): Promise<void> => {
    await w.server.tollgate.projections.checkpoint();
    for (let i = 0; i < 200; i += 1) {
      if ((await call(token, 'GET', `/admin/oauth-applications/${id}`)).body.lastUsedAt !== null) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect.fail(`the last use of ${id} never reached the read model`);
  };
  const newApp = async (token: string, organizationId: string, extra: Record<string, unknown> = {}) =>
    created(await call(token, 'POST', '/admin/oauth-applications', { name: unique('app'), grants: ['client_credentials'], organizationId, ...extra })).body;
  const newUser = async (token: string, organizationId: string, email?: string) => {
    const username = unique('user');
    const body = { username, email: email ?? `${username}@example.test`, password: USER_PASSWORD, kind: 'backOffice', roles: ['user'], organizationIds: [organizationId] };
    return created(await call(token, 'POST', '/admin/users', body)).body as { id: string };
  };

  before(async () => {
    w = await startThreeOrganizations();
    auditor = {
      B: await createUser(w.root, { organizationIds: [w.org.B], roles: ['auditor'] }),
      G: await createUser(w.root, { organizationIds: [w.org.G], roles: ['auditor'] }),
    };
    admin = { B: w.admin.B, G: w.admin.G };
    // An application per organization; B's renamed, rotated and used, so its history has changes and tokens.
    const [a, b, g] = [await newApp(w.admin.A.token, w.org.A), await newApp(w.admin.B.token, w.org.B), await newApp(w.admin.G.token, w.org.G)];
    created(await call(w.admin.B.token, 'PATCH', `/admin/oauth-applications/${b.id}`, { name: unique('renamed') }));
    const rotated = created(await call(w.admin.B.token, 'POST', `/admin/oauth-applications/${b.id}/rotate-secret`)).body;
    for (let i = 0; i < 2; i += 1) expect((await clientToken(w.url, b.clientId, rotated.clientSecret)).status).to.equal(200);
    const deleted = await newApp(w.admin.B.token, w.org.B);
    expect((await call(w.admin.B.token, 'DELETE', `/admin/oauth-applications/${deleted.id}`)).status).to.equal(204);
    apps = { A: a.id, B: b.id, G: g.id, deletedB: deleted.id };
    // A failed notification job in A and in B: owners whose address the mailer cannot use.
    for (const org of ['A', 'B'] as const) {
      const owner = await newUser(w.admin[org].token, w.org[org], `jürgen.${org}@example.test`);
      await newApp(w.admin[org].token, w.org[org], { ownerUserId: owner.id });
    }
    // The auditor's own client_credentials application, made by an administrator with authority over them.
    auditorsApp = await newApp(w.admin.B.token, w.org.B, { ownerUserId: auditor.B.id });
    // Queue figures are compared below too: wait until both jobs failed and nothing is still in flight.
    const settled = (body: { failed: unknown[]; counts: { waiting: number; active: number; delayed: number } }) =>
      body.failed.length >= 2 && body.counts.waiting + body.counts.active + body.counts.delayed === 0;
    let jobs: HttpResult | undefined;
    for (let i = 0; i < 400 && !(jobs && settled(jobs.body)); i += 1) {
      if (jobs) await new Promise((r) => setTimeout(r, 50));
      jobs = await call(w.admin.G.token, 'GET', '/admin/notification-jobs');
    }
    expect(jobs!.body.counts, 'the notification queue settled').to.include({ waiting: 0, active: 0, delayed: 0 });
    // The reads below compare two answers, which show B's last use: let it reach the read model first.
    await lastUseProjected(w.admin.B.token, b.id);
    asOf = new Date().toISOString();
  });
  after(async () => w.stop());

  interface ReadCase {
    route: string;
    path: () => string;
    status: Record<Pair, number>;
  }
  const ok = { B: 200, G: 200 };
  const onlyGlobal = { B: 404, G: 200 };
  const READS: ReadCase[] = [
    { route: 'GET /admin/oauth-applications', path: () => '/admin/oauth-applications?perPage=100', status: ok },
    { route: 'GET /admin/oauth-applications', path: () => `/admin/oauth-applications?perPage=100&asOf=${asOf}`, status: ok },
    { route: 'GET /admin/oauth-applications/:id', path: () => `/admin/oauth-applications/${apps.B}`, status: ok },
    { route: 'GET /admin/oauth-applications/:id', path: () => `/admin/oauth-applications/${apps.B}?asOf=${asOf}`, status: ok },
    { route: 'GET /admin/oauth-applications/:id', path: () => `/admin/oauth-applications/${apps.A}`, status: onlyGlobal },
    { route: 'GET /admin/oauth-applications/:id', path: () => `/admin/oauth-applications/${apps.deletedB}`, status: { B: 404, G: 404 } },
    { route: 'GET /admin/oauth-applications/:id/history', path: () => `/admin/oauth-applications/${apps.B}/history?include=tokens`, status: ok },
    { route: 'GET /admin/oauth-applications/:id/history', path: () => `/admin/oauth-applications/${apps.B}/history?include=tokens&format=jsonl`, status: ok },
    { route: 'GET /admin/oauth-applications/:id/history', path: () => `/admin/oauth-applications/${apps.B}/history?format=csv&order=asc`, status: ok },
    { route: 'GET /admin/oauth-applications/:id/history', path: () => `/admin/oauth-applications/${apps.deletedB}/history`, status: ok },
    { route: 'GET /admin/oauth-applications/:id/history', path: () => `/admin/oauth-applications/${apps.A}/history`, status: onlyGlobal },
    { route: 'GET /admin/users', path: () => '/admin/users?perPage=100', status: ok },
    { route: 'GET /admin/users/:id', path: () => `/admin/users/${w.user.B.id}`, status: ok },
    { route: 'GET /admin/users/:id', path: () => `/admin/users/${w.user.A.id}`, status: onlyGlobal },
    { route: 'GET /admin/users/:id', path: () => `/admin/users/${w.adminGB.id}`, status: onlyGlobal },
    { route: 'GET /admin/users/:id/history', path: () => `/admin/users/${w.user.B.id}/history`, status: ok },
    { route: 'GET /admin/users/:id/history', path: () => `/admin/users/${w.adminGB.id}/history`, status: onlyGlobal },
    { route: 'GET /admin/users/:id/oauth-applications', path: () => `/admin/users/${auditor.B.id}/oauth-applications`, status: ok },
    { route: 'GET /admin/users/:id/oauth-applications', path: () => `/admin/users/${w.user.A.id}/oauth-applications`, status: onlyGlobal },
    { route: 'GET /admin/organizations', path: () => '/admin/organizations', status: ok },
    { route: 'GET /admin/organizations/:id', path: () => `/admin/organizations/${w.org.B}`, status: ok },
    { route: 'GET /admin/organizations/:id', path: () => `/admin/organizations/${w.org.G}`, status: onlyGlobal },
    { route: 'GET /admin/email-templates/:name', path: () => TEMPLATE, status: ok },
    { route: 'GET /admin/notification-rules/:name', path: () => RULE, status: ok },
    { route: 'GET /admin/notification-jobs', path: () => '/admin/notification-jobs', status: ok },
    { route: 'GET /admin/status', path: () => '/admin/status', status: ok },
  ];

  describe('reads: what the administrator of the same organizations reads, nothing more', () => {
    it('given the server\'s route list, then every admin read route has a case here', () => {
      const reads = w.server.tollgate.routes.filter((r) => r.method === 'GET' && r.path.startsWith('/admin')).map(key);
      const covered = new Set([...READS.map((c) => c.route), ...SELF_READS]);
      expect(reads.filter((r) => !covered.has(r)), 'admin read routes without an auditor case').to.deep.equal([]);
    });

    for (const pair of ['B', 'G'] as const) {
      it(`given the auditor ${pair === 'B' ? 'of B' : 'of G (global access)'}, when they read every route, then each answer is the administrator's, status and body`, async () => {
        for (const read of READS) {
          const path = read.path();
          const asAdmin = await call(admin[pair].token, 'GET', path);
          const asAuditor = await call(auditor[pair].token, 'GET', path);
          expect(asAdmin.status, `administrator: ${path}`).to.equal(read.status[pair]);
          expect(asAuditor.status, `auditor: ${path} ${JSON.stringify(asAuditor.body)}`).to.equal(read.status[pair]);
          expect(asAuditor.body, path).to.deep.equal(asAdmin.body);
        }
      });
    }

    it('given the auditor of B, then they see B\'s applications, users and failed jobs and nothing of A or G', async () => {
      const grid = await call(auditor.B.token, 'GET', '/admin/oauth-applications?perPage=100');
      const organizations = new Set(grid.body.items.map((a: { organizationId: string }) => a.organizationId));
      expect([...organizations]).to.deep.equal([w.org.B]);
      expect(grid.body.items.map((a: { id: string }) => a.id)).to.include(apps.B);
      const users = (await call(auditor.B.token, 'GET', '/admin/users?perPage=100')).body.items.map((u: { id: string }) => u.id);
      expect(users).to.include.members([w.user.B.id, w.admin.B.id]);
      expect(users).not.to.include.members([w.user.A.id]);
      expect(users).not.to.include(w.adminGB.id);
      const history = await call(auditor.B.token, 'GET', `/admin/oauth-applications/${apps.B}/history?include=tokens`);
      expect(history.body.items.map((e: { type: string }) => e.type)).to.include.members(['TokenIssued', 'ApplicationSecretRotated', 'ApplicationCreated']);
      const jobs = await call(auditor.B.token, 'GET', '/admin/notification-jobs');
      expect(jobs.body.failed).to.have.length(1);
      expect(jobs.body).not.to.have.property('counts');
      const organizationsListed = (await call(auditor.B.token, 'GET', '/admin/organizations')).body.items.map((o: { id: string }) => o.id);
      expect(organizationsListed).to.deep.equal([w.org.B]);
    });

    it('given the auditor, then /admin/me shows their role and /admin/me/oauth-applications their own application only', async () => {
      const me = await call(auditor.B.token, 'GET', '/admin/me');
      expect(me.status).to.equal(200);
      expect(me.body).to.include({ id: auditor.B.id, globalAccess: false });
      expect(me.body.roles).to.deep.equal(['auditor']);
      const mine = await call(auditor.B.token, 'GET', '/admin/me/oauth-applications?perPage=100');
      expect(mine.body.items.map((a: { id: string }) => a.id)).to.deep.equal([auditorsApp.id]);
    });

    it('given the auditor\'s client_credentials application, when its token is used, then it reads as the auditor and writes nothing', async () => {
      const issued = await clientToken(w.url, auditorsApp.clientId, auditorsApp.clientSecret);
      expect(issued.status, JSON.stringify(issued.body)).to.equal(200);
      const token = issued.body.access_token as string;
      // The grids compared below show this application's last use: let it reach the read model first.
      await lastUseProjected(auditor.B.token, auditorsApp.id);
      for (const path of ['/admin/oauth-applications?perPage=100', '/admin/users?perPage=100', `/admin/oauth-applications/${apps.B}/history?include=tokens`]) {
        const viaApp = await call(token, 'GET', path);
        expect(viaApp.status, path).to.equal(200);
        expect(viaApp.body, path).to.deep.equal((await call(auditor.B.token, 'GET', path)).body);
      }
      const write = await call(token, 'POST', `/admin/oauth-applications/${apps.B}/deactivate`);
      expectProblem(write, 403);
      expect(write.body.detail).to.equal(READ_ONLY_REFUSAL);
      expect((await call(token, 'POST', '/admin/me/oauth-applications', { name: unique('more') })).status).to.equal(403);
    });
  });

  interface WriteCase {
    /** Whose same request succeeds: the administrator of B, or of G (global-access routes). */
    by: Pair;
    prepare(): Promise<{ path: string; body?: unknown }>;
    success: number;
  }
  const appOfB = async (active = true) => newApp(w.admin.B.token, w.org.B, { active });
  const WRITES: Record<string, WriteCase> = {
    'PUT /admin/email-templates/:name': {
      by: 'G',
      success: 200,
      prepare: async () => ({ path: TEMPLATE, body: { locale: 'en', subject: 'New {{applicationName}}', html: '<p>{{clientId}}</p>', text: 'Client {{clientId}}' } }),
    },
    'PUT /admin/notification-rules/:name': {
      by: 'G',
      success: 200,
      prepare: async () => ({ path: RULE, body: { enabled: true, recipients: { owner: true, addresses: [] } } }),
    },
    'POST /admin/me/oauth-applications': { by: 'B', success: 201, prepare: async () => ({ path: '/admin/me/oauth-applications', body: { name: unique('mine') } }) },
    'POST /admin/oauth-applications': {
      by: 'B',
      success: 201,
      prepare: async () => ({ path: '/admin/oauth-applications', body: { name: unique('new'), grants: ['client_credentials'], organizationId: w.org.B } }),
    },
    'PATCH /admin/oauth-applications/:id': { by: 'B', success: 200, prepare: async () => ({ path: `/admin/oauth-applications/${(await appOfB()).id}`, body: { description: 'changed' } }) },
    'DELETE /admin/oauth-applications/:id': { by: 'B', success: 204, prepare: async () => ({ path: `/admin/oauth-applications/${(await appOfB()).id}` }) },
    'POST /admin/oauth-applications/:id/activate': { by: 'B', success: 200, prepare: async () => ({ path: `/admin/oauth-applications/${(await appOfB(false)).id}/activate` }) },
    'POST /admin/oauth-applications/:id/deactivate': { by: 'B', success: 200, prepare: async () => ({ path: `/admin/oauth-applications/${(await appOfB()).id}/deactivate` }) },
    'POST /admin/oauth-applications/:id/rotate-secret': { by: 'B', success: 200, prepare: async () => ({ path: `/admin/oauth-applications/${(await appOfB()).id}/rotate-secret`, body: { graceSeconds: 0 } }) },
    'POST /admin/organizations': { by: 'G', success: 201, prepare: async () => ({ path: '/admin/organizations', body: { name: unique('org') } }) },
    'PATCH /admin/organizations/:id': {
      by: 'G',
      success: 200,
      prepare: async () => {
        const org = created(await call(w.admin.G.token, 'POST', '/admin/organizations', { name: unique('org') })).body;
        return { path: `/admin/organizations/${org.id}`, body: { name: unique('renamed org') } };
      },
    },
    'POST /admin/users': {
      by: 'B',
      success: 201,
      prepare: async () => {
        const username = unique('new-user');
        return { path: '/admin/users', body: { username, email: `${username}@example.test`, password: USER_PASSWORD, kind: 'backOffice', roles: ['user'], organizationIds: [w.org.B] } };
      },
    },
    'PATCH /admin/users/:id': { by: 'B', success: 200, prepare: async () => ({ path: `/admin/users/${(await newUser(w.admin.B.token, w.org.B)).id}`, body: { enabled: false } }) },
    'POST /admin/notification-jobs/:jobId/retry': {
      by: 'B',
      success: 202,
      prepare: async () => {
        // A fresh failed job in B (an owner whose address the mailer cannot use).
        const owner = await newUser(w.admin.B.token, w.org.B, `jürgen.retry@example.test`);
        const app = await newApp(w.admin.B.token, w.org.B, { ownerUserId: owner.id });
        let job: { jobId: string } | undefined;
        for (let i = 0; i < 400 && !job; i += 1) {
          const failed = (await call(w.admin.B.token, 'GET', '/admin/notification-jobs')).body.failed as Array<{ jobId: string; payload: { applicationId: string } }>;
          job = failed.find((j) => j.payload.applicationId === app.id);
          if (!job) await new Promise((r) => setTimeout(r, 50));
        }
        return { path: `/admin/notification-jobs/${job!.jobId}/retry` };
      },
    },
  };

  describe('writes: every write route answers an auditor 403 and writes nothing', () => {
    it('given the server\'s route list, then every write route has a case here (a new write route without one fails)', () => {
      // The console's form posts (/console/*) are not admin API routes: the console refuses an
      // auditor's writes through the same writeRefusal, covered route by route in
      // test/console/auditor.test.ts against this same route list.
      const writes = w.server.tollgate.routes.filter((r) => !READ_METHODS.has(r.method) && !r.path.startsWith('/console')).map(key);
      const adminWrites = writes.filter((r) => r.split(' ')[1]!.startsWith('/admin'));
      expect(adminWrites.sort(), 'admin write routes vs the cases below').to.deep.equal(Object.keys(WRITES).sort());
      expect(writes.filter((r) => !adminWrites.includes(r)).sort(), 'other write routes').to.deep.equal([...OAUTH_PROTOCOL_WRITES].sort());
    });

    for (const [route, write] of Object.entries(WRITES)) {
      it(`given the auditors of B and of G, when ${route}, then 403 "${READ_ONLY_REFUSAL}" and nothing written; the administrator's same request succeeds`, async () => {
        const [method] = route.split(' ') as [string];
        const { path, body } = await write.prepare();
        const before = await w.server.tollgate.store.headPosition();
        for (const pair of ['B', 'G'] as const) {
          const res = await call(auditor[pair].token, method, path, body);
          expectProblem(res, 403);
          expect(res.body.detail).to.equal(READ_ONLY_REFUSAL);
        }
        expect(await w.server.tollgate.store.headPosition(), 'nothing appended').to.equal(before);
        const allowed = await call(admin[write.by].token, method, path, body);
        expect(allowed.status, JSON.stringify(allowed.body)).to.equal(write.success);
      });
    }

    it('given a write to something that does not exist or is in another organization, then the same 403 (nothing about it leaks)', async () => {
      for (const path of [`/admin/oauth-applications/${apps.A}/deactivate`, '/admin/oauth-applications/no-such-app/deactivate', `/admin/users/${w.user.A.id}`, '/admin/users/no-such-user']) {
        const method = path.startsWith('/admin/users') ? 'PATCH' : 'POST';
        const res = await call(auditor.B.token, method, path, { enabled: false });
        expectProblem(res, 403);
        expect(res.body.detail, path).to.equal(READ_ONLY_REFUSAL);
      }
    });
  });

  describe('their own record: the password only, with the current one', () => {
    let own: TestUser;
    before(async () => {
      own = await createUser(w.root, { organizationIds: [w.org.B], roles: ['auditor'] });
    });
    const patchSelf = (body: unknown) => call(own.token, 'PATCH', `/admin/users/${own.id}`, body);

    it('given an auditor, when they change their email, locale, roles, organizations or enabled flag, then 403 read-only and nothing written', async () => {
      const before = await w.server.tollgate.store.headPosition();
      for (const body of [{ email: 'new@example.test' }, { locale: 'fr' }, { roles: ['admin'] }, { organizationIds: [w.org.B, w.org.G] }, { enabled: false }, { password: 'new-password-456', currentPassword: USER_PASSWORD, locale: 'fr' }]) {
        const res = await patchSelf(body);
        expectProblem(res, 403);
        expect(res.body.detail, JSON.stringify(body)).to.equal(READ_ONLY_REFUSAL);
      }
      expect(await w.server.tollgate.store.headPosition()).to.equal(before);
    });

    it('given an auditor, when they change their password without the current one or with a wrong one, then 400 naming currentPassword / 403', async () => {
      const without = await patchSelf({ password: 'new-password-456' });
      expectProblem(without, 400);
      expectFieldError(without, 'currentPassword');
      expectProblem(await patchSelf({ password: 'new-password-456', currentPassword: 'wrong-password-0' }), 403);
    });

    it('given an auditor, when they change their password with the current one, then 200 and the new password signs in', async () => {
      const res = await patchSelf({ password: 'new-password-456', currentPassword: USER_PASSWORD });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.roles).to.deep.equal(['auditor']);
      expect((await w.signIn(own.username, w.org.B, 'new-password-456')).status).to.equal(200);
    });
  });

  describe('granting the role: nobody grants what they do not hold', () => {
    const register = (token: string, organizationIds: string[], roles: string[]) => {
      const username = unique('auditor');
      return call(token, 'POST', '/admin/users', { username, email: `${username}@example.test`, password: USER_PASSWORD, kind: 'backOffice', roles, organizationIds });
    };

    it('given the administrator of B, when they register an auditor of B or make a user of B one, then 201 / 200: an administrator holds auditor for what they administer', async () => {
      const registered = await register(w.admin.B.token, [w.org.B], ['auditor']);
      expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
      expect(registered.body.roles).to.deep.equal(['auditor']);
      const signedIn = await w.signIn(registered.body.username, w.org.B);
      expect(signedIn.status).to.equal(200);
      expect((await call(signedIn.body.access_token, 'GET', '/admin/users?perPage=100')).status).to.equal(200);
      const user = await newUser(w.admin.B.token, w.org.B);
      const changed = await call(w.admin.B.token, 'PATCH', `/admin/users/${user.id}`, { roles: ['auditor'] });
      expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
      expect(changed.body.roles).to.deep.equal(['auditor']);
    });

    it('given the administrator of B, when they make an auditor of A or make the user of G and B an auditor, then 403 / 404; the global administrator may (201 / 200)', async () => {
      expectProblem(await register(w.admin.B.token, [w.org.A], ['auditor']), 403);
      expectProblem(await call(w.admin.B.token, 'PATCH', `/admin/users/${w.adminGB.id}`, { roles: ['auditor'] }), 404);
      expect((await register(w.admin.G.token, [w.org.A], ['auditor'])).status).to.equal(201);
      const gb = await createUser(w.root, { organizationIds: [w.org.G, w.org.B], signIn: false });
      expect((await call(w.admin.G.token, 'PATCH', `/admin/users/${gb.id}`, { roles: ['auditor'] })).status).to.equal(200);
    });

    it('given an administrator of B signed in, when the global administrator makes them an auditor, then their existing token reads and no longer writes', async () => {
      const demoted = await createUser(w.root, { organizationIds: [w.org.B], roles: ['admin'] });
      const app = await newApp(demoted.token, w.org.B);
      expect((await call(w.admin.G.token, 'PATCH', `/admin/users/${demoted.id}`, { roles: ['auditor'] })).status).to.equal(200);
      expect((await call(demoted.token, 'GET', `/admin/oauth-applications/${app.id}/history`)).status).to.equal(200);
      const write = await call(demoted.token, 'POST', `/admin/oauth-applications/${app.id}/deactivate`);
      expectProblem(write, 403);
      expect(write.body.detail).to.equal(READ_ONLY_REFUSAL);
    });

    it('given a plain user, when they make themselves an auditor, then 403; given auditor with another role, then 400 naming roles', async () => {
      expectProblem(await call(w.user.B.token, 'PATCH', `/admin/users/${w.user.B.id}`, { roles: ['auditor'] }), 403);
      for (const roles of [['auditor', 'admin'], ['auditor', 'user']]) {
        const res = await register(w.admin.G.token, [w.org.B], roles);
        expectProblem(res, 400);
        expectFieldError(res, 'roles');
      }
      const customer = await call(w.admin.G.token, 'POST', '/admin/users', { username: unique('c'), email: 'c@example.test', password: USER_PASSWORD, kind: 'customer', roles: ['auditor'], organizationIds: [w.org.B] });
      expectProblem(customer, 400);
      expectFieldError(customer, 'roles');
    });
  });
});
