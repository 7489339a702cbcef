import { expect } from 'chai';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { removeApp, rotateSecret, seedApp, seedWorld, setActive } from './support/seed.js';
import { basicHeader, post } from './support/http.js';

describe('POST /oauth2-token — client authentication and grant errors', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  before(async () => {
    server = await startTokenServer();
    world = await seedWorld(server);
  });
  after(() => server.close());

  const cc = (clientId: string, clientSecret: string) => ({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });

  it('answers the same invalid_client 401 for an unknown client, a wrong secret, an inactive and a deleted app', async () => {
    const inactive = await seedApp(server, { name: 'inactive', organizationId: world.organizationId, ownerUserId: world.admin.userId, grants: ['client_credentials'], active: false });
    const deleted = await seedApp(server, { name: 'deleted', organizationId: world.organizationId, ownerUserId: world.admin.userId, grants: ['client_credentials'] });
    await removeApp(server, deleted.applicationId);
    const answers = await Promise.all([
      post(server.url, cc('no-such-client-id-000000000000000', 'whatever')),
      post(server.url, cc(world.ccApp.clientId, 'wrong-secret')),
      post(server.url, cc(inactive.clientId, inactive.clientSecret)),
      post(server.url, cc(deleted.clientId, deleted.clientSecret)),
    ]);
    for (const a of answers) {
      expect(a.status).to.equal(401);
      expect(a.body).to.deep.equal(answers[0]!.body);
      expect(a.body.error).to.equal('invalid_client');
      expect(a.headers['www-authenticate']).to.equal(undefined);
    }
  });

  it('given Basic authentication with a wrong secret, then invalid_client carries WWW-Authenticate: Basic', async () => {
    const a = await post(server.url, { grant_type: 'client_credentials' }, { basic: { id: world.ccApp.clientId, secret: 'nope' } });
    expect(a.status).to.equal(401);
    expect(a.body.error).to.equal('invalid_client');
    expect(a.headers['www-authenticate']).to.match(/^Basic realm="tollgate"/);
  });

  it('given no client credentials at all, then invalid_client', async () => {
    const a = await post(server.url, { grant_type: 'client_credentials' });
    expect(a.status).to.equal(401);
    expect(a.body.error).to.equal('invalid_client');
  });

  it('given both Basic and client_secret in the body, then invalid_request', async () => {
    const a = await post(server.url, cc(world.ccApp.clientId, world.ccApp.clientSecret), {
      basic: { id: world.ccApp.clientId, secret: world.ccApp.clientSecret },
    });
    expect(a.status).to.equal(400);
    expect(a.body.error).to.equal('invalid_request');
  });

  it('URL-decodes Basic credentials (RFC 6749 §2.3.1) and refuses a malformed Basic header', async () => {
    const ok = await post(server.url, { grant_type: 'client_credentials' }, { basic: { id: world.ccApp.clientId, secret: world.ccApp.clientSecret } });
    expect(ok.status).to.equal(200);
    const raw = `Basic ${Buffer.from(`${world.ccApp.clientId}:%zz`).toString('base64')}`;
    const bad = await post(server.url, { grant_type: 'client_credentials' }, { headers: { authorization: raw } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.equal('invalid_request');
    const noColon = await post(server.url, { grant_type: 'client_credentials' }, { headers: { authorization: `Basic ${Buffer.from('abc').toString('base64')}` } });
    expect(noColon.body.error).to.equal('invalid_request');
    expect(basicHeader('a b', 'c:d')).to.equal(`Basic ${Buffer.from('a%20b:c%3Ad').toString('base64')}`);
  });

  it('given a grant the app does not have, then unauthorized_client', async () => {
    const a = await post(server.url, { ...cc(world.ccApp.clientId, world.ccApp.clientSecret), grant_type: 'password', username: 'x', password: 'y' });
    expect(a.status).to.equal(400);
    expect(a.body.error).to.equal('unauthorized_client');
  });

  it('given an unknown grant type, then unsupported_grant_type; a missing one, invalid_request', async () => {
    const unknown = await post(server.url, { ...cc(world.ccApp.clientId, world.ccApp.clientSecret), grant_type: 'implicit' });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error).to.equal('unsupported_grant_type');
    const missing = await post(server.url, { client_id: world.ccApp.clientId, client_secret: world.ccApp.clientSecret });
    expect(missing.body.error).to.equal('invalid_request');
  });

  it('given a scope beyond the app scopes, then invalid_scope; scope and scopes together, invalid_request', async () => {
    const beyond = await post(server.url, { ...cc(world.ccApp.clientId, world.ccApp.clientSecret), scope: 'read admin' });
    expect(beyond.status).to.equal(400);
    expect(beyond.body.error).to.equal('invalid_scope');
    const both = await post(server.url, { ...cc(world.ccApp.clientId, world.ccApp.clientSecret), scope: 'read', scopes: 'read' });
    expect(both.body.error).to.equal('invalid_request');
  });

  it('given a rotated secret with a grace period, then both secrets work until the grace ends; without grace only the new one', async () => {
    const app = await seedApp(server, { name: 'rotating', organizationId: world.organizationId, ownerUserId: world.admin.userId, grants: ['client_credentials'] });
    const graced = await rotateSecret(server, app.applicationId, 600);
    expect((await post(server.url, cc(app.clientId, app.clientSecret))).status).to.equal(200);
    expect((await post(server.url, cc(app.clientId, graced))).status).to.equal(200);
    server.clock.advance(601);
    try {
      expect((await post(server.url, cc(app.clientId, app.clientSecret))).status).to.equal(401);
      expect((await post(server.url, cc(app.clientId, graced))).status).to.equal(200);
    } finally {
      server.clock.advance(-601);
    }
    const immediate = await rotateSecret(server, app.applicationId);
    expect((await post(server.url, cc(app.clientId, graced))).status).to.equal(401);
    expect((await post(server.url, cc(app.clientId, immediate))).status).to.equal(200);
  });

  it('given an app deactivated on this node, then its very next token request is invalid_client', async () => {
    const app = await seedApp(server, { name: 'to deactivate', organizationId: world.organizationId, ownerUserId: world.admin.userId, grants: ['client_credentials'] });
    expect((await post(server.url, cc(app.clientId, app.clientSecret))).status).to.equal(200);
    await setActive(server, app.applicationId, false);
    const a = await post(server.url, cc(app.clientId, app.clientSecret));
    expect(a.status).to.equal(401);
    expect(a.body.error).to.equal('invalid_client');
    await setActive(server, app.applicationId, true);
    expect((await post(server.url, cc(app.clientId, app.clientSecret))).status).to.equal(200);
  });
});
