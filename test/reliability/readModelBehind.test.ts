import { expect } from 'chai';
import { bootstrapAdminToken, clientToken, http, startTestServer, waitUntilReady, type TestServer } from '../support/tollgateServer.js';

/**
 * The read model falls behind (its projection runner stopped, as while rebuilding or with
 * MongoDB slow): the token endpoint does not care (it reads its own state cache), readiness
 * says "catching-up" instead of serving a wrong grid as fresh, and once the runner resumes
 * from its checkpoint everything written meanwhile appears.
 */
describe('fault: the read model is behind', function () {
  this.timeout(60_000);
  let server: TestServer;
  before(async () => {
    // READY_MAX_LAG_EVENTS=0: one pending application is already "behind" for this test.
    server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '100', READY_MAX_LAG_EVENTS: '0' }, { runWorker: false });
  });
  after(() => server?.stop());

  it('tokens keep flowing for applications the grid has not seen, /readyz says catching-up, and the runner catches up on resume', async () => {
    const admin = await bootstrapAdminToken(server.url);
    // The read model applies the first start's events on its own schedule: wait for it.
    await waitUntilReady(server.url);

    await server.tollgate.projections.stop();
    const created = await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: 'made while behind', grants: ['client_credentials'] } });
    expect(created.status).to.equal(201); // the write is durable; only the read-your-writes wait ran out
    const position = created.headers['x-event-position'] as string;

    const tokens = await Promise.all([1, 2, 3].map(() => clientToken(server.url, created.body.clientId, created.body.clientSecret)));
    expect(tokens.map((t) => t.status)).to.deep.equal([200, 200, 200]);

    const ready = await http(server.url, 'GET', '/readyz');
    expect(ready.status).to.equal(503);
    expect(ready.body.status).to.equal('catching-up');
    expect(ready.body.projections.lag).to.be.above(0);
    expect(ready.body.eventStore.ok).to.equal(true);

    const fresh = await http(server.url, 'GET', '/admin/oauth-applications', { token: admin, headers: { 'x-min-position': position } });
    expect(fresh.status).to.equal(503);
    expect(fresh.body.detail).to.match(/catching up/);

    await server.tollgate.projections.start();
    expect(await server.tollgate.projections.waitForPosition(Number(position), 10_000)).to.equal(true);
    const grid = await http(server.url, 'GET', '/admin/oauth-applications', { token: admin, headers: { 'x-min-position': position } });
    expect(grid.status).to.equal(200);
    expect(JSON.stringify(grid.body)).to.include('made while behind');
    expect((await waitUntilReady(server.url)).body.status).to.equal('ready');
  });
});
