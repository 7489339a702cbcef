import { expect } from 'chai';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, bootstrapAdminToken, clientToken, http } from '../support/tollgateServer.js';
import { childTollgate, hasPrlimit, setFileSizeLimit, type ChildTollgate } from './support/childTollgate.js';

/**
 * The event store cannot be written (the server process may not grow any file: RLIMIT_FSIZE
 * 0, which fails writes like a full disk and needs no root — CI runs as root, where a
 * read-only file would not stop anything). Writes answer 503 + Retry-After with a clear
 * message and record nothing; reads keep serving; once the limit is lifted the very next
 * writes succeed, without a restart.
 */
describe('fault: the event store becomes unwritable while the server runs', function () {
  this.timeout(90_000);
  let dir: TempDir;
  let server: ChildTollgate;

  before(async function () {
    if (!hasPrlimit()) this.skip();
    dir = await createTempDir('tollgate-unwritable-');
    server = await childTollgate(dir);
    await server.start();
  });
  after(async () => {
    await server?.kill();
    await dir?.remove();
  });

  it('writes answer 503 with Retry-After, reads serve, nothing half-written, and it recovers by itself', async () => {
    const admin = await bootstrapAdminToken(server.url);
    const before = await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: 'before the fault', grants: ['client_credentials'] } });
    expect(before.status).to.equal(201);
    const pid = server.process.child.pid!;

    setFileSizeLimit(pid, 0);
    let create, token, grid, one, health;
    try {
      create = await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: 'during the fault', grants: ['client_credentials'] } });
      token = await clientToken(server.url, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET);
      grid = await http(server.url, 'GET', '/admin/oauth-applications', { token: admin });
      one = await http(server.url, 'GET', `/admin/oauth-applications/${before.body.id}`, { token: admin });
      health = await http(server.url, 'GET', '/healthz');
    } finally {
      setFileSizeLimit(pid, 'unlimited');
    }

    expect(create.status, JSON.stringify(create.body)).to.equal(503);
    expect(create.headers['retry-after']).to.equal('5');
    expect(create.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(create.body.detail).to.equal('The event store is unavailable; nothing was written. Retry later.');
    expect(token.status).to.equal(503);
    expect(token.headers['retry-after']).to.equal('5');
    expect(token.body.error).to.equal('temporarily_unavailable');
    expect(grid.status).to.equal(200);
    expect(one.status).to.equal(200);
    expect(health.status).to.equal(200);
    const log = server.process.stdout();
    expect(log).to.match(/event store unavailable/);

    const after = await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: 'during the fault', grants: ['client_credentials'] } });
    expect(after.status, JSON.stringify(after.body)).to.equal(201); // the name was not left reserved
    expect((await clientToken(server.url, after.body.clientId, after.body.clientSecret)).status).to.equal(200);
    const names = (await http(server.url, 'GET', '/admin/oauth-applications?sort=name', { token: admin })).body;
    expect(JSON.stringify(names).match(/during the fault/g)).to.have.length(1);
  });
});
