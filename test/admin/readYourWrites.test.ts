import { expect } from 'chai';
import { createApp, expectProblem, http, startAdmin, unique, type Admin } from './adminKit.js';

describe('Admin API: read-your-writes (ETag, X-Event-Position, X-Min-Position)', () => {
  let admin: Admin;
  before(async () => {
    // Long enough for a loaded machine (the reads right after a write rely on it); the
    // "catching up" case stops the runner, so it waits this long once.
    admin = await startAdmin({ READ_YOUR_WRITES_TIMEOUT_MS: '2000' });
  });
  after(async () => admin.server.stop());

  it('given a create, when the grid is read right after, then the new application is in it', async () => {
    for (let i = 0; i < 5; i++) {
      const name = unique('Ryw');
      const created = await createApp(admin, { name });
      const grid = await http(admin.url, 'GET', `/admin/oauth-applications?name=${name}`, { token: admin.token });
      expect(grid.body.items.map((a: { id: string }) => a.id)).to.deep.equal([created.body.id]);
    }
  });

  it('given writes, when they answer, then they carry ETag W/"rev" and an increasing X-Event-Position', async () => {
    const created = await createApp(admin, { name: unique('Pos') });
    expect(created.headers.etag).to.equal('W/"0"');
    const first = Number(created.headers['x-event-position']);
    expect(first).to.be.greaterThan(0);
    const patched = await http(admin.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, { token: admin.token, body: { description: 'x' } });
    expect(patched.headers.etag).to.equal('W/"1"');
    expect(Number(patched.headers['x-event-position'])).to.be.greaterThan(first);
    expect(patched.headers['x-read-model-stale']).to.equal(undefined);
    const renamed = await http(admin.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, { token: admin.token, body: { name: unique('Pos-renamed') } });
    const grid = await http(admin.url, 'GET', `/admin/oauth-applications?name=${renamed.body.name}`, {
      token: admin.token,
      headers: { 'x-min-position': String(renamed.headers['x-event-position']) },
    });
    expect(grid.status).to.equal(200);
    expect(grid.body.items[0]).to.include({ id: created.body.id, revision: 2 });
  });

  it('given X-Min-Position beyond anything written, when reading, then 400 at once (no write will ever reach it)', async () => {
    for (const path of ['/admin/oauth-applications', '/admin/me/oauth-applications', '/admin/users', '/admin/organizations']) {
      const res = await http(admin.url, 'GET', path, { token: admin.token, headers: { 'x-min-position': '9007199254740' } });
      expectProblem(res, 400);
    }
  });

  it('given the read model stopped behind a write, when reading with that write\'s position, then 503 catching up with Retry-After after the bounded wait', async () => {
    await admin.server.tollgate.projections.stop();
    try {
      const created = await createApp(admin, { name: unique('Behind') });
      expect(created.status).to.equal(201);
      expect(created.headers['x-read-model-stale']).to.equal('true');
      const res = await http(admin.url, 'GET', '/admin/oauth-applications', {
        token: admin.token,
        headers: { 'x-min-position': String(created.headers['x-event-position']) },
      });
      expectProblem(res, 503);
      expect(res.headers['retry-after']).to.equal('1');
    } finally {
      await admin.server.tollgate.projections.start();
    }
  });

  it('given a malformed X-Min-Position, then 400', async () => {
    for (const value of ['abc', '-1', '1e5', '99999999999999999999']) {
      const res = await http(admin.url, 'GET', '/admin/oauth-applications', { token: admin.token, headers: { 'x-min-position': value } });
      expectProblem(res, 400);
    }
  });
});
