import { expect } from 'chai';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { seedWorld } from './support/seed.js';
import { post, postRaw } from './support/http.js';

describe('POST /oauth2-token — bad input is always an RFC 6749 error, never a 500', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  before(async () => {
    server = await startTokenServer({ bodyLimit: 16 * 1024 });
    world = await seedWorld(server);
  });
  after(() => server.close());

  const tokenUrl = () => `${server.url}/oauth2-token`;
  const expectOAuthError = (a: { status: number; body: Record<string, unknown> }, status: number, error: string) => {
    expect(a.status).to.equal(status);
    expect(a.body.error).to.equal(error);
    expect(a.body.error_description).to.be.a('string');
    expect(Object.keys(a.body).sort()).to.deep.equal(['error', 'error_description']);
  };

  it('malformed JSON → invalid_request', async () => {
    expectOAuthError(await postRaw(tokenUrl(), '{"grant_type":', { 'content-type': 'application/json' }), 400, 'invalid_request');
  });

  it('a JSON array or scalar body → invalid_request', async () => {
    expectOAuthError(await postRaw(tokenUrl(), '[1,2]', { 'content-type': 'application/json' }), 400, 'invalid_request');
    expectOAuthError(await postRaw(tokenUrl(), '"x"', { 'content-type': 'application/json' }), 400, 'invalid_request');
  });

  it('an unsupported content type → invalid_request', async () => {
    expectOAuthError(await postRaw(tokenUrl(), 'grant_type=client_credentials', { 'content-type': 'text/plain' }), 400, 'invalid_request');
    expectOAuthError(await postRaw(tokenUrl(), '<x/>', { 'content-type': 'application/xml' }), 400, 'invalid_request');
  });

  it('a body over the size limit → 413 with an RFC 6749 body', async () => {
    const big = `grant_type=client_credentials&pad=${'a'.repeat(17 * 1024)}`;
    expectOAuthError(await postRaw(tokenUrl(), big, { 'content-type': 'application/x-www-form-urlencoded' }), 413, 'invalid_request');
  });

  it('a duplicated form parameter → invalid_request', async () => {
    const body = `grant_type=client_credentials&client_id=${world.ccApp.clientId}&client_id=${world.ccApp.clientId}&client_secret=${world.ccApp.clientSecret}`;
    expectOAuthError(await postRaw(tokenUrl(), body, { 'content-type': 'application/x-www-form-urlencoded' }), 400, 'invalid_request');
  });

  it('an empty body → invalid_request (grant_type missing)', async () => {
    expectOAuthError(await postRaw(tokenUrl(), undefined, {}), 400, 'invalid_request');
  });

  it('a non-string client_id (number, object, array) in JSON → invalid_request', async () => {
    for (const clientId of [12345, { $ne: null }, ['a', 'b'], true]) {
      const a = await post(server.url, { grant_type: 'client_credentials', client_id: clientId, client_secret: 'x' }, { encoding: 'json' });
      expectOAuthError(a, 400, 'invalid_request');
    }
  });

  it('a 10 kB client_id → invalid_client; a 10 kB scope → invalid_scope', async () => {
    expectOAuthError(await post(server.url, { grant_type: 'client_credentials', client_id: 'x'.repeat(10240), client_secret: 'y' }), 401, 'invalid_client');
    const scope = Array.from({ length: 1024 }, (_, i) => `s${i}`).join(' ').padEnd(10240, 'x');
    const a = await post(server.url, { grant_type: 'client_credentials', client_id: world.ccApp.clientId, client_secret: world.ccApp.clientSecret, scope });
    expectOAuthError(a, 400, 'invalid_scope');
  });

  it('a scope with characters outside RFC 6749 §3.3 → invalid_scope', async () => {
    const a = await post(server.url, { grant_type: 'client_credentials', client_id: world.ccApp.clientId, client_secret: world.ccApp.clientSecret, scope: 'read "quoted"' });
    expectOAuthError(a, 400, 'invalid_scope');
  });

  it('a __proto__ key in JSON does not pollute or crash', async () => {
    const body = `{"__proto__":{"grant_type":"client_credentials"},"client_id":"${world.ccApp.clientId}","client_secret":"${world.ccApp.clientSecret}"}`;
    expectOAuthError(await postRaw(tokenUrl(), body, { 'content-type': 'application/json' }), 400, 'invalid_request');
  });

  it('an empty form value counts as absent (RFC 6749 §3.1)', async () => {
    const a = await post(server.url, { grant_type: 'client_credentials', client_id: world.ccApp.clientId, client_secret: world.ccApp.clientSecret, scope: '' });
    expect(a.status).to.equal(200);
  });

  it('bad input at introspection and revocation is an RFC 6749 error too', async () => {
    for (const path of ['/oauth2-token/introspect', '/oauth2-token/revoke']) {
      expectOAuthError(await postRaw(`${server.url}${path}`, '{', { 'content-type': 'application/json' }), 400, 'invalid_request');
      expectOAuthError(await postRaw(`${server.url}${path}`, 'x', { 'content-type': 'text/plain' }), 400, 'invalid_request');
    }
  });
});
