import { expect } from 'chai';
import { BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET } from '../support/tollgateServer.js';
import {
  clientToken,
  createApp,
  etag,
  expectNoHashes,
  expectProblem,
  http,
  startAdmin,
  unique,
  type Admin,
} from './adminKit.js';

async function introspect(admin: Admin, token: string): Promise<Record<string, unknown>> {
  const res = await http(admin.url, 'POST', '/oauth2-token/introspect', {
    rawBody: new URLSearchParams({ token, client_id: BOOTSTRAP_CLIENT_ID, client_secret: BOOTSTRAP_CLIENT_SECRET }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(res.status).to.equal(200);
  return res.body;
}

describe('Admin API: application lifecycle (activate, deactivate, rotate-secret, delete, history)', () => {
  let admin: Admin;
  before(async () => {
    admin = await startAdmin();
  });
  after(async () => admin.server.stop());

  describe('POST .../deactivate and .../activate', () => {
    it('given an issued token, when the application is deactivated, then new token requests are invalid_client and the old token is dead at once', async () => {
      const app = await createApp(admin, { name: unique('Deactivate') });
      const issued = await clientToken(admin.url, app.body.clientId, app.body.clientSecret);
      expect(issued.status).to.equal(200);
      const token = issued.body.access_token as string;
      expect((await http(admin.url, 'GET', '/admin/me', { token })).status).to.equal(200);
      expect((await introspect(admin, token)).active).to.equal(true);

      const off = await http(admin.url, 'POST', `/admin/oauth-applications/${app.body.id}/deactivate`, { token: admin.token });
      expect(off.status).to.equal(200);
      expect(off.body).to.include({ active: false, revision: 1 });
      expect(etag(off)).to.equal('W/"1"');
      expectNoHashes(off.body);

      const refused = await clientToken(admin.url, app.body.clientId, app.body.clientSecret);
      expect(refused.status).to.equal(401);
      expect(refused.body.error).to.equal('invalid_client');
      expectProblem(await http(admin.url, 'GET', '/admin/me', { token }), 401);
      expect(await introspect(admin, token)).to.deep.equal({ active: false });

      const on = await http(admin.url, 'POST', `/admin/oauth-applications/${app.body.id}/activate`, { token: admin.token });
      expect(on.status).to.equal(200);
      expect(on.body.active).to.equal(true);
      expect((await clientToken(admin.url, app.body.clientId, app.body.clientSecret)).status).to.equal(200);
    });

    it('given an inactive application, when deactivated again, then 200 and nothing is recorded', async () => {
      const app = await createApp(admin, { name: unique('Idempotent'), active: false });
      const res = await http(admin.url, 'POST', `/admin/oauth-applications/${app.body.id}/deactivate`, { token: admin.token });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ active: false, revision: 0 });
    });

    it('given a stale If-Match, when activated, then 412', async () => {
      const app = await createApp(admin, { name: unique('StaleActivate'), active: false });
      await http(admin.url, 'PATCH', `/admin/oauth-applications/${app.body.id}`, { token: admin.token, body: { description: 'x' } });
      const res = await http(admin.url, 'POST', `/admin/oauth-applications/${app.body.id}/activate`, {
        token: admin.token,
        headers: { 'if-match': etag(app) },
      });
      expectProblem(res, 412);
    });
  });

  describe('POST .../rotate-secret', () => {
    it('given no grace period, when rotated, then the new secret works and the old one stops at once', async () => {
      const app = await createApp(admin, { name: unique('Rotate') });
      const res = await http(admin.url, 'POST', `/admin/oauth-applications/${app.body.id}/rotate-secret`, { token: admin.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      const secret = res.body.clientSecret as string;
      expect(secret).to.be.a('string').and.not.equal(app.body.clientSecret);
      expectNoHashes(res.body);
      expect((await clientToken(admin.url, app.body.clientId, secret)).status).to.equal(200);
      const old = await clientToken(admin.url, app.body.clientId, app.body.clientSecret);
      expect(old.status).to.equal(401);
      expect(old.body.error).to.equal('invalid_client');

      const history = await http(admin.url, 'GET', `/admin/oauth-applications/${app.body.id}/history`, { token: admin.token });
      const rotated = history.body.items.find((e: { type: string }) => e.type === 'ApplicationSecretRotated');
      expect(rotated.data).to.include({ secretRotated: true, previousSecretValidUntil: null });
      expect(JSON.stringify(history.body)).not.to.include(secret);
      expectNoHashes(history.body);
    });

    it('given graceSeconds, when rotated, then both secrets work and history shows until when', async () => {
      const app = await createApp(admin, { name: unique('Grace') });
      const res = await http(admin.url, 'POST', `/admin/oauth-applications/${app.body.id}/rotate-secret`, {
        token: admin.token,
        body: { graceSeconds: 3600 },
      });
      expect(res.status).to.equal(200);
      expect((await clientToken(admin.url, app.body.clientId, res.body.clientSecret)).status).to.equal(200);
      expect((await clientToken(admin.url, app.body.clientId, app.body.clientSecret)).status).to.equal(200);
      const history = await http(admin.url, 'GET', `/admin/oauth-applications/${app.body.id}/history`, { token: admin.token });
      const rotated = history.body.items.find((e: { type: string }) => e.type === 'ApplicationSecretRotated');
      expect(Date.parse(rotated.data.previousSecretValidUntil)).to.be.greaterThan(Date.now());
    });

    for (const body of [{ graceSeconds: -1 }, { graceSeconds: 'soon' }, { graceSeconds: 1.5 }, { graceSeconds: 31 * 86400 }, { other: 1 }]) {
      it(`given ${JSON.stringify(body)}, when rotated, then 400 and the secret is unchanged`, async () => {
        const app = await createApp(admin, { name: unique('BadGrace') });
        const res = await http(admin.url, 'POST', `/admin/oauth-applications/${app.body.id}/rotate-secret`, { token: admin.token, body });
        expectProblem(res, 400);
        expect((await clientToken(admin.url, app.body.clientId, app.body.clientSecret)).status).to.equal(200);
      });
    }
  });

  describe('DELETE /admin/oauth-applications/:id', () => {
    it('given an application with a token, when deleted, then it leaves the grid, GET is 404, the token dies, and history stays', async () => {
      const name = unique('Delete');
      const app = await createApp(admin, { name });
      const token = (await clientToken(admin.url, app.body.clientId, app.body.clientSecret)).body.access_token as string;
      const res = await http(admin.url, 'DELETE', `/admin/oauth-applications/${app.body.id}`, { token: admin.token });
      expect(res.status).to.equal(204);
      expect(res.headers['x-event-position']).to.match(/^\d+$/);

      const grid = await http(admin.url, 'GET', `/admin/oauth-applications?name=${name}`, { token: admin.token });
      expect(grid.body.total).to.equal(0);
      expectProblem(await http(admin.url, 'GET', `/admin/oauth-applications/${app.body.id}`, { token: admin.token }), 404);
      expectProblem(await http(admin.url, 'PATCH', `/admin/oauth-applications/${app.body.id}`, { token: admin.token, body: { description: 'x' } }), 404);
      expectProblem(await http(admin.url, 'DELETE', `/admin/oauth-applications/${app.body.id}`, { token: admin.token }), 404);
      expectProblem(await http(admin.url, 'POST', `/admin/oauth-applications/${app.body.id}/activate`, { token: admin.token }), 404);
      expect(await introspect(admin, token)).to.deep.equal({ active: false });
      expect((await clientToken(admin.url, app.body.clientId, app.body.clientSecret)).status).to.equal(401);

      const history = await http(admin.url, 'GET', `/admin/oauth-applications/${app.body.id}/history`, { token: admin.token });
      expect(history.status).to.equal(200);
      expect(history.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationDeleted', 'ApplicationCreated']);
    });

    it('given a deleted application, when a new one takes its name, then 201', async () => {
      const name = unique('Reuse');
      const app = await createApp(admin, { name });
      await http(admin.url, 'DELETE', `/admin/oauth-applications/${app.body.id}`, { token: admin.token });
      await createApp(admin, { name });
    });
  });

  describe('GET .../history', () => {
    it('given several changes, when history is read, then events come in order with actor, time, ip, user agent, paged', async () => {
      const app = await createApp(admin, { name: unique('History') });
      const path = `/admin/oauth-applications/${app.body.id}`;
      const headers = { 'user-agent': 'history-test/2' };
      await http(admin.url, 'PATCH', path, { token: admin.token, body: { description: 'v1' }, headers });
      await http(admin.url, 'POST', `${path}/deactivate`, { token: admin.token, headers });
      await http(admin.url, 'POST', `${path}/activate`, { token: admin.token, headers });
      await http(admin.url, 'POST', `${path}/rotate-secret`, { token: admin.token, headers });

      const all = await http(admin.url, 'GET', `${path}/history?order=asc`, { token: admin.token });
      expect(all.status).to.equal(200);
      const types = all.body.items.map((e: { type: string }) => e.type);
      expect(types).to.deep.equal(['ApplicationCreated', 'ApplicationUpdated', 'ApplicationDeactivated', 'ApplicationActivated', 'ApplicationSecretRotated']);
      expect(all.body.next).to.equal(null);
      const positions = all.body.items.map((e: { position: number }) => e.position);
      expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
      for (const entry of all.body.items.slice(1)) {
        expect(entry).to.include({ actor: admin.adminId, userAgent: 'history-test/2', actorKind: 'user', actorName: 'admin' });
        expect(entry.ip).to.be.a('string');
        expect(new Date(entry.occurredAt).toISOString()).to.equal(entry.occurredAt);
      }
      expect(all.body.items[1].data.changes).to.deep.equal({ description: { from: null, to: 'v1' } });

      const newest = await http(admin.url, 'GET', `${path}/history?perPage=2`, { token: admin.token });
      expect(newest.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationSecretRotated', 'ApplicationActivated']);
      const page2 = await http(admin.url, 'GET', newest.body.next, { token: admin.token });
      expect(page2.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationDeactivated', 'ApplicationUpdated']);
      const page3 = await http(admin.url, 'GET', page2.body.next, { token: admin.token });
      expect(page3.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationCreated']);
      expect(page3.body.next).to.equal(null);
      expectProblem(await http(admin.url, 'GET', `${path}/history?perPage=100000`, { token: admin.token }), 400);
      expectProblem(await http(admin.url, 'GET', `${path}/history?include=secrets`, { token: admin.token }), 400);
    });

    it('given tokens were issued, when history is read with include=tokens, then TokenIssued entries appear (and not without it)', async () => {
      const app = await createApp(admin, { name: unique('Tokens') });
      expect((await clientToken(admin.url, app.body.clientId, app.body.clientSecret)).status).to.equal(200);
      const path = `/admin/oauth-applications/${app.body.id}/history`;
      const withTokens = await http(admin.url, 'GET', `${path}?include=tokens&order=asc`, { token: admin.token });
      expect(withTokens.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationCreated', 'TokenIssued']);
      expectNoHashes(withTokens.body);
      const without = await http(admin.url, 'GET', path, { token: admin.token });
      expect(without.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationCreated']);
    });
  });
});
