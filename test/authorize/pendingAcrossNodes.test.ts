import { expect } from 'chai';
import { createApp, createUser, http, unique, USER_PASSWORD, type Admin, type TestUser } from '../admin/adminKit.js';
import { bootstrapAdminToken, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { createFormAgent, hiddenField, pkcePair, type FormAgent } from './support/formAgent.js';
import { authorizePath, decide, followToDecision, redeem, redirectParams, standardQuery, type FlowApp } from './support/codeFlow.js';

/**
 * Parked authorization requests on two nodes (two Tollgate instances on one store and one
 * KEYS_DIR, behind no sticky load balancer): the request is a signed token any node verifies,
 * taken once on any node, and validated again against the application when it is taken.
 */
describe('pending authorization requests across nodes', function () {
  this.timeout(60_000);
  let dir: TempDir;
  let nodeA: TestServer;
  let nodeB: TestServer;
  let admin: Admin;
  let user: TestUser;
  let app: FlowApp & { id: string };
  const login = () => ({ username: user.username, password: USER_PASSWORD });
  /** The agent's requests go to `base` (a path-only location is resolved against it). */
  const on = (agent: FormAgent, base: string) => ({
    get: (path: string) => agent.get(`${base}${path}`),
    post: (path: string, fields: Record<string, string>) => agent.post(`${base}${path}`, fields),
  });

  before(async () => {
    dir = await createTempDir('tollgate-two-nodes-');
    nodeA = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300' }, { dir, runWorker: false });
    nodeB = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300', ISSUER: nodeA.config.issuer }, { dir, runWorker: false });
    const token = await bootstrapAdminToken(nodeA.url);
    const me = await http(nodeA.url, 'GET', '/admin/me', { token });
    admin = { server: nodeA, url: nodeA.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
    user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const created = await createApp(admin, { name: unique('two-nodes'), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: ['https://nodes.example/cb', 'https://nodes.example/other'] });
    app = { id: created.body.id, clientId: created.body.clientId, clientSecret: created.body.clientSecret, redirectUri: 'https://nodes.example/cb' };
  });
  after(async () => {
    await nodeB?.stop();
    await nodeA?.stop();
    await dir?.remove();
  });

  it('given a request parked on node A, when the sign-in form A served is posted to node B and the user grants there, then B issues the code, which redeems on A', async () => {
    const agent = createFormAgent(nodeA.url);
    const a = on(agent, nodeA.url);
    const b = on(agent, nodeB.url);
    const { verifier, challenge } = pkcePair();
    const start = await a.get(authorizePath(standardQuery(app, challenge)));
    expect(start.status).to.equal(303);
    const signInPage = await a.get(start.location!);
    expect(signInPage.body).to.contain('Sign in to continue to');
    const signedIn = await b.post('/console/sign-in', {
      _csrf: hiddenField(signInPage.body, '_csrf')!, continue: hiddenField(signInPage.body, 'continue')!, ...login(),
    });
    expect(signedIn.status, signedIn.body).to.equal(303);
    expect(signedIn.location).to.equal(start.location);
    const consent = await b.get(signedIn.location!);
    expect(consent.body).to.contain('wants to access your account.');
    const granted = await b.post('/console/authorize', { _csrf: hiddenField(consent.body, '_csrf')!, request: hiddenField(consent.body, 'request')!, decision: 'grant' });
    const params = redirectParams(granted);
    expect(params.get('state')).to.equal('xyz-state');
    const tokens = await redeem(nodeA.url, app, { code: params.get('code')!, code_verifier: verifier, redirect_uri: app.redirectUri });
    expect(tokens.status, JSON.stringify(tokens.body)).to.equal(200);
  });

  it('given a request granted on node B, when the same request is granted again on node A, then a page and no second code', async () => {
    // Another user: no consent remembered, so both nodes show the consent page.
    const other = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const otherLogin = { username: other.username, password: USER_PASSWORD };
    const agentB = createFormAgent(nodeB.url);
    const start = await agentB.get(authorizePath(standardQuery(app, pkcePair().challenge)));
    const consent = await followToDecision(agentB, start, otherLogin);
    const agentA = createFormAgent(nodeA.url);
    const consentA = await followToDecision(agentA, await agentA.get(authorizePath(standardQuery(app, pkcePair().challenge))), otherLogin);
    expect(redirectParams(await decide(agentB, consent, 'grant')).get('code')).to.be.a('string');
    expect(consentA.status).to.equal(200);
    const replay = await agentA.post('/console/authorize', { _csrf: hiddenField(consentA.body, '_csrf')!, request: hiddenField(consent.body, 'request')!, decision: 'grant' });
    expect(replay.status).to.equal(400);
    expect(replay.location).to.equal(undefined);
    expect(replay.body).to.contain('was already used');
  });

  it('given a parked request whose token the browser changed (another redirect URI), then a page, never a redirect', async () => {
    const agent = createFormAgent(nodeA.url);
    const start = await agent.get(authorizePath(standardQuery(app, pkcePair().challenge)));
    const id = new URL(start.location!, nodeA.url).searchParams.get('request')!;
    const [header, payload, signature] = id.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, ru: 'https://nodes.example/other' })).toString('base64url')}.${signature}`;
    const res = await agent.get(`/console/authorize?request=${encodeURIComponent(forged)}`);
    expect(res.status).to.equal(400);
    expect(res.location).to.equal(undefined);
  });

  it('given a redirect URI unregistered after the request was parked, when the user grants, then a page, never a redirect to it', async () => {
    const created = await createApp(admin, { name: unique('shrinking'), grants: ['authorization_code'], organizationId: admin.orgA, redirectUris: ['https://shrink.example/a', 'https://shrink.example/b'] });
    const shrinking = { clientId: created.body.clientId, clientSecret: created.body.clientSecret, redirectUri: 'https://shrink.example/b' };
    const agent = createFormAgent(nodeA.url);
    const consent = await followToDecision(agent, await agent.get(authorizePath(standardQuery(shrinking, pkcePair().challenge))), login());
    expect(consent.status).to.equal(200);
    const current = await http(nodeA.url, 'GET', `/admin/oauth-applications/${created.body.id}`, { token: admin.token });
    const patched = await http(nodeA.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, {
      token: admin.token, body: { redirectUris: ['https://shrink.example/a'] }, headers: { 'if-match': String(current.headers.etag) },
    });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    const res = await decide(agent, consent, 'grant');
    expect(res.status).to.equal(400);
    expect(res.location).to.equal(undefined);
    expect(res.body).to.contain('no longer registered');
  });
});
