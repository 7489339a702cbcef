import { expect } from 'chai';
import {
  clientToken,
  createApp,
  etag,
  expectFieldError,
  expectNoHashes,
  expectProblem,
  http,
  startAdmin,
  unique,
  type Admin,
} from './adminKit.js';

const UA = { 'user-agent': 'tollgate-admin-tests/1.0' };

/** Waits (without asserting on time) until the clock has moved past `iso`, so the next write is later. */
async function clockPast(iso: string): Promise<void> {
  while (Date.now() <= Date.parse(iso)) await new Promise((r) => setTimeout(r, 2));
}

describe('Admin API: /admin/oauth-applications (create, view, edit, time travel)', () => {
  let admin: Admin;
  before(async () => {
    admin = await startAdmin();
  });
  after(async () => admin.server.stop());

  describe('POST /admin/oauth-applications', () => {
    it('given an administrator, when an application is created, then 201 holds clientId and clientSecret once and never a hash', async () => {
      const res = await createApp(admin, { name: unique('Create'), scopes: ['read'], description: 'd' });
      expect(res.body.clientId).to.match(/^[A-Za-z0-9_-]{32}$/);
      expect(res.body.clientSecret).to.be.a('string').with.length.of.at.least(43);
      expect(res.body).to.include({ organizationId: admin.orgA, ownerUserId: admin.adminId, active: true, revision: 0 });
      expect(res.headers.location).to.equal(`/admin/oauth-applications/${res.body.id}`);
      expect(res.headers['cache-control']).to.equal('no-store');
      expectNoHashes(res.body);

      const id = res.body.id as string;
      const secret = res.body.clientSecret as string;
      const reads = await Promise.all([
        http(admin.url, 'GET', `/admin/oauth-applications/${id}`, { token: admin.token }),
        http(admin.url, 'GET', '/admin/oauth-applications?perPage=100', { token: admin.token }),
        http(admin.url, 'GET', `/admin/oauth-applications/${id}/history?include=tokens`, { token: admin.token }),
        http(admin.url, 'GET', '/admin/me/oauth-applications?perPage=100', { token: admin.token }),
        http(admin.url, 'GET', `/admin/users/${admin.adminId}/oauth-applications?perPage=100`, { token: admin.token }),
      ]);
      for (const read of reads) {
        expect(read.status).to.equal(200);
        const text = JSON.stringify(read.body);
        expect(text).not.to.include(secret);
        expect(text).not.to.include('clientSecret');
        expectNoHashes(read.body);
      }
    });

    it('given a password grant, when created, then refresh_token comes with it and the secret works for the token endpoint', async () => {
      const res = await createApp(admin, { name: unique('Password'), grants: ['password'] });
      expect(res.body.grants).to.deep.equal(['password', 'refresh_token']);
      expect(res.body.ownerUserId).to.equal(null);
    });

    it('given client credentials, when a token is requested with the new secret, then it is issued', async () => {
      const res = await createApp(admin, { name: unique('Cc') });
      const token = await clientToken(admin.url, res.body.clientId, res.body.clientSecret);
      expect(token.status).to.equal(200);
    });
  });

  describe('GET /admin/oauth-applications/:id', () => {
    it('given an application, when read, then it carries ETag W/"rev" and no secret', async () => {
      const created = await createApp(admin, { name: unique('Get') });
      const res = await http(admin.url, 'GET', `/admin/oauth-applications/${created.body.id}`, { token: admin.token });
      expect(res.status).to.equal(200);
      expect(etag(res)).to.equal('W/"0"');
      expect(res.body).to.include({ id: created.body.id, clientId: created.body.clientId, name: created.body.name });
      expect(res.body).not.to.have.property('clientSecret');
    });

    it('given an edit after creation, when read ?asOf= a time before the edit, then the old state is shown', async () => {
      const name = unique('AsOf');
      const created = await createApp(admin, { name, description: 'before' });
      const before = created.body.createdAt as string;
      await clockPast(before);
      const patched = await http(admin.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, {
        token: admin.token,
        body: { name: `${name}-renamed`, description: 'after' },
      });
      expect(patched.status).to.equal(200);

      const past = await http(admin.url, 'GET', `/admin/oauth-applications/${created.body.id}?asOf=${encodeURIComponent(before)}`, { token: admin.token });
      expect(past.status).to.equal(200);
      expect(past.body).to.include({ name, description: 'before', revision: 0 });
      const now = await http(admin.url, 'GET', `/admin/oauth-applications/${created.body.id}`, { token: admin.token });
      expect(now.body).to.include({ name: `${name}-renamed`, description: 'after', revision: 1 });
      const earlier = await http(admin.url, 'GET', `/admin/oauth-applications/${created.body.id}?asOf=2000-01-01T00:00:00Z`, { token: admin.token });
      expectProblem(earlier, 404);
    });

    for (const bad of ['yesterday', '2026-13-45T99:99:99Z', '2026-02-30', '2026-01-01T24:00:00Z', '1700000000', '']) {
      it(`given asOf=${JSON.stringify(bad)}, when read, then 400 naming asOf`, async () => {
        const created = await createApp(admin, { name: unique('BadAsOf') });
        const res = await http(admin.url, 'GET', `/admin/oauth-applications/${created.body.id}?asOf=${encodeURIComponent(bad)}`, { token: admin.token });
        expectProblem(res, 400);
        expectFieldError(res, 'asOf');
      });
    }

    it('given asOf repeated, when read, then 400', async () => {
      const created = await createApp(admin, { name: unique('TwoAsOf') });
      const res = await http(admin.url, 'GET', `/admin/oauth-applications/${created.body.id}?asOf=2026-01-01&asOf=2026-01-02`, { token: admin.token });
      expectProblem(res, 400);
    });

    it('given an unknown id, when read, then 404 problem', async () => {
      expectProblem(await http(admin.url, 'GET', '/admin/oauth-applications/no-such-id', { token: admin.token }), 404);
      expectProblem(await http(admin.url, 'GET', `/admin/oauth-applications/${'x'.repeat(300)}`, { token: admin.token }), 404);
      expectProblem(await http(admin.url, 'GET', '/admin/oauth-applications/%E2%98%83', { token: admin.token }), 404);
    });
  });

  describe('PATCH /admin/oauth-applications/:id', () => {
    it('given the current ETag, when patched, then 200 with the next revision; a stale ETag is 412 and writes nothing', async () => {
      const created = await createApp(admin, { name: unique('Patch') });
      const url = `/admin/oauth-applications/${created.body.id}`;
      const ok = await http(admin.url, 'PATCH', url, { token: admin.token, body: { description: 'one' }, headers: { 'if-match': etag(created) } });
      expect(ok.status).to.equal(200);
      expect(ok.body).to.include({ description: 'one', revision: 1 });
      expect(etag(ok)).to.equal('W/"1"');

      const stale = await http(admin.url, 'PATCH', url, { token: admin.token, body: { description: 'two' }, headers: { 'if-match': etag(created) } });
      expectProblem(stale, 412);
      const after = await http(admin.url, 'GET', url, { token: admin.token });
      expect(after.body).to.include({ description: 'one', revision: 1 });
    });

    it('given an If-Match that is not an ETag of this API, when patched, then 400', async () => {
      const created = await createApp(admin, { name: unique('BadEtag') });
      const res = await http(admin.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, {
        token: admin.token,
        body: { description: 'x' },
        headers: { 'if-match': 'banana' },
      });
      expectProblem(res, 400);
    });

    for (const [field, value] of [
      ['grants', ['password']],
      ['ownerUserId', 'someone-else'],
      ['frontend', true],
      ['clientId', 'another-client-id'],
    ] as const) {
      it(`given a change of ${field}, when patched, then 400 naming ${field} and nothing changes`, async () => {
        const created = await createApp(admin, { name: unique('Immutable') });
        const res = await http(admin.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, {
          token: admin.token,
          body: { [field]: value, description: 'must not land' },
        });
        expectProblem(res, 400);
        expectFieldError(res, field);
        const after = await http(admin.url, 'GET', `/admin/oauth-applications/${created.body.id}`, { token: admin.token });
        expect(after.body).to.include({ revision: 0, description: null });
      });
    }

    it('given the same grants and owner sent back, when patched, then the edit is accepted', async () => {
      const created = await createApp(admin, { name: unique('SendBack') });
      const res = await http(admin.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, {
        token: admin.token,
        body: { grants: created.body.grants, ownerUserId: created.body.ownerUserId, description: 'ok' },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.description).to.equal('ok');
    });

    it('given a write, when the response arrives, then history records actor, time, IP and user agent', async () => {
      const created = await createApp(admin, { name: unique('Audit') });
      const res = await http(admin.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, {
        token: admin.token,
        body: { scopes: ['read', 'write'] },
        headers: UA,
      });
      expect(res.status).to.equal(200);
      const history = await http(admin.url, 'GET', `/admin/oauth-applications/${created.body.id}/history`, { token: admin.token });
      const update = history.body.items[0];
      expect(update).to.include({ type: 'ApplicationUpdated', actor: admin.adminId, userAgent: UA['user-agent'] });
      expect(update.ip).to.match(/127\.0\.0\.1/);
      expect(Date.parse(update.occurredAt)).to.be.a('number').and.not.NaN;
      expect(update.data.changes).to.deep.equal({ scopes: { from: [], to: ['read', 'write'] } });
    });
  });
});
