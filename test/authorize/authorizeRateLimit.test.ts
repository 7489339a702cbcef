import { expect } from 'chai';
import { createApp, http, unique, type Admin } from '../admin/adminKit.js';
import { BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, bootstrapAdminToken, clientToken, startTestServer } from '../support/tollgateServer.js';
import { createFormAgent, hiddenField, pkcePair } from './support/formAgent.js';
import { authorizePath, standardQuery, type FlowApp } from './support/codeFlow.js';

/**
 * RATE_LIMIT_PER_IP on the authorization endpoint and the sign-in POSTs (src/console/
 * signInRateLimit.ts): the OAuth endpoints' limiter, under its own keys. Real server, real HTTP.
 */
describe('per-IP rate limit of the authorization endpoint and its sign-in', function () {
  this.timeout(60_000);
  let admin: Admin;
  let app: FlowApp;

  before(async () => {
    const server = await startTestServer({ RATE_LIMIT_PER_IP: '4', RATE_LIMIT_WINDOW: '60' }, { runWorker: false });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
    const res = await createApp(admin, { name: unique('limited'), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: ['https://limited.example/cb'] });
    app = { clientId: res.body.clientId, clientSecret: res.body.clientSecret, redirectUri: 'https://limited.example/cb' };
  });
  after(async () => admin?.server.stop());

  it('given one address over its limit across authorize requests and sign-in attempts, then a 429 page with Retry-After and no redirect, for the sign-in POSTs too; its token endpoint budget is its own', async () => {
    const agent = createFormAgent(admin.url);
    const start = await agent.get(authorizePath(standardQuery(app, pkcePair().challenge))); // 1
    expect(start.status).to.equal(303);
    let page = await agent.get(start.location!); // the sign-in page itself is not counted
    const attempt = async () => {
      const res = await agent.post('/console/sign-in', {
        _csrf: hiddenField(page.body, '_csrf')!, continue: hiddenField(page.body, 'continue')!, username: 'admin', password: 'guess-guess-guess',
      });
      if (res.status === 401) page = res; // a refused sign-in answers a fresh form
      return res;
    };
    expect((await attempt()).status).to.equal(401); // 2
    expect((await attempt()).status).to.equal(401); // 3
    expect((await attempt()).status).to.equal(401); // 4
    const limited = await attempt();
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers['retry-after'])).to.be.within(1, 120);
    expect(limited.body).to.contain('Too many sign-in requests from your network.');
    const again = await agent.get(authorizePath(standardQuery(app, pkcePair().challenge)));
    expect(again.status).to.equal(429);
    expect(again.location).to.equal(undefined);
    expect((await agent.post('/console/authorize/sign-in', { _csrf: 'x', continue: 'y', username: 'u', password: 'p' })).status).to.equal(429);
    // The token endpoint counts this address separately (1 of 4 spent by the bootstrap token).
    expect((await clientToken(admin.url, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET)).status).to.equal(200);
  });
});
