import { expect } from 'chai';
import { Agent, request } from 'undici';
import { clientToken, http, startTestServer, waitUntilReady, type TestServer } from '../support/tollgateServer.js';
import { createApp, startAdmin, type Admin } from '../admin/adminKit.js';

/**
 * Readiness means "can serve": under sustained token load every TokenIssued is lag for the
 * last-used projection for a moment, and that must never take the node out of service.
 */
describe('/readyz under sustained token load', function () {
  this.timeout(180_000);
  let admin: Admin;
  before(async () => {
    admin = await startAdmin();
    await waitUntilReady(admin.url);
  });
  after(() => admin.server.stop());

  it('given many token requests in flight, then every poll of /readyz answers 200 and reports the lag', async () => {
    // Given an application and a keep-alive connection pool as a load generator would use
    const app = await createApp(admin, { name: 'load' });
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: app.body.clientId, client_secret: app.body.clientSecret }).toString();
    const agent = new Agent({ connections: 16 });
    const TOKENS = 1500;
    let issued = 0;
    let done = false;
    const worker = async (): Promise<void> => {
      while (issued < TOKENS) {
        issued += 1;
        const res = await request(`${admin.url}/oauth2-token`, {
          method: 'POST', dispatcher: agent, body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        await res.body.dump();
        expect(res.statusCode).to.equal(200);
      }
    };
    const load = Promise.all(Array.from({ length: 12 }, worker)).finally(() => (done = true));
    // When /readyz is polled all the while
    const polls: Array<{ status: number; body: any }> = [];
    while (!done) {
      const ready = await http(admin.url, 'GET', '/readyz');
      polls.push({ status: ready.status, body: ready.body });
    }
    await load;
    await agent.close();
    // Then every poll was ready, and each reported the lag
    expect(polls.length).to.be.greaterThan(0);
    expect(polls.filter((p) => p.status !== 200).map((p) => p.body)).to.deep.equal([]);
    for (const { body } of polls) {
      expect(body.projections).to.include.keys('lag', 'pendingEvents', 'pendingAgeMs', 'withinBound', 'maxLagEvents', 'maxLagMs');
      expect(body.tokenState).to.deep.equal({ caughtUp: true });
    }
  });
});

describe('/readyz when the read model is beyond its bound', function () {
  this.timeout(60_000);
  let server: TestServer;
  before(async () => {
    // A strict bound: any pending event the grid or directories need makes the node unready.
    server = await startTestServer({ READY_MAX_LAG_EVENTS: '0', READ_YOUR_WRITES_TIMEOUT_MS: '100' }, { runWorker: false });
  });
  after(() => server?.stop());

  it('given the runner stopped and an admin write pending, then 503 catching-up with the pending count; token events alone never count', async () => {
    const ready = await waitUntilReady(server.url);
    expect(ready.body.projections).to.include({ pendingEvents: 0, withinBound: true, maxLagEvents: 0, maxLagMs: 5000 });
    await server.tollgate.projections.stop();
    // Given only token events after the read model's position: still ready
    const admin = (await clientToken(server.url, 'bootstrap-client-0001', 'bootstrap-secret-0123456789abcdefghijklmnop')).body.access_token as string;
    await clientToken(server.url, 'bootstrap-client-0001', 'bootstrap-secret-0123456789abcdefghijklmnop');
    const onlyTokens = await http(server.url, 'GET', '/readyz');
    expect(onlyTokens.status, JSON.stringify(onlyTokens.body)).to.equal(200);
    expect(onlyTokens.body.projections.lag).to.be.above(0);
    // When an application is created that the grid has not applied
    const created = await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: 'pending', grants: ['client_credentials'] } });
    expect(created.status).to.equal(201);
    // Then the node is not ready, and says by how much
    const behind = await http(server.url, 'GET', '/readyz');
    expect(behind.status).to.equal(503);
    expect(behind.body.status).to.equal('catching-up');
    expect(behind.body.projections).to.include({ pendingEvents: 1, withinBound: false });
    // And once the runner resumes, ready again
    await server.tollgate.projections.start();
    expect((await waitUntilReady(server.url)).body.projections.pendingEvents).to.equal(0);
  });
});
