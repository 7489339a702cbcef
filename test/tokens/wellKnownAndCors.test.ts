import { expect } from 'chai';
import { request } from 'undici';
import { createTempDir } from '../support/tempDir.js';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { seedWorld } from './support/seed.js';
import { get, post } from './support/http.js';

describe('JWKS, RFC 8414 metadata, CORS and production without keys', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  before(async () => {
    server = await startTokenServer({ corsAllowedOrigins: ['https://app.example'] });
    world = await seedWorld(server);
  });
  after(() => server.close());

  it('publishes the public signing key as a JWKS, without private parts', async () => {
    const a = await get(`${server.url}/.well-known/jwks.json`);
    expect(a.status).to.equal(200);
    const keys = a.body.keys as Record<string, unknown>[];
    expect(keys).to.have.length(1);
    expect(keys[0]).to.include({ kid: server.keys.signingKey!.kid, alg: 'RS256', use: 'sig', kty: 'RSA' });
    expect(keys[0]).not.to.have.any.keys('d', 'p', 'q', 'dp', 'dq', 'qi');
  });

  it('publishes RFC 8414 metadata', async () => {
    const a = await get(`${server.url}/.well-known/oauth-authorization-server`);
    expect(a.status).to.equal(200);
    expect(a.body).to.deep.include({
      issuer: server.issuer,
      token_endpoint: `${server.issuer}/oauth2-token`,
      jwks_uri: `${server.issuer}/.well-known/jwks.json`,
      authorization_endpoint: `${server.issuer}/oauth2-token/authorize`,
      grant_types_supported: ['client_credentials', 'password', 'authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('answers a preflight from an allowed origin with max age 600, and nothing for another origin', async () => {
    const allowed = await request(`${server.url}/oauth2-token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    await allowed.body.dump();
    expect(allowed.statusCode).to.equal(204);
    expect(allowed.headers['access-control-allow-origin']).to.equal('https://app.example');
    expect(allowed.headers['access-control-max-age']).to.equal('600');
    expect(String(allowed.headers['access-control-allow-headers'])).to.include('Authorization');
    const other = await request(`${server.url}/oauth2-token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    await other.body.dump();
    expect(other.headers['access-control-allow-origin']).to.equal(undefined);
    const a = await post(server.url, { grant_type: 'client_credentials', client_id: world.ccApp.clientId, client_secret: world.ccApp.clientSecret }, { headers: { origin: 'https://app.example' } });
    expect(a.headers['access-control-allow-origin']).to.equal('https://app.example');
  });

  it('allows any origin with *', async () => {
    const open = await startTokenServer({ corsAllowedOrigins: ['*'] });
    try {
      const a = await get(`${open.url}/.well-known/jwks.json`, { origin: 'https://anyone.example' });
      expect(a.headers['access-control-allow-origin']).to.equal('*');
    } finally {
      await open.close();
    }
  });

  it('in production without keys, the OAuth endpoints answer 503 temporarily_unavailable with the Oro warning in the key status', async () => {
    const emptyKeys = await createTempDir('tollgate-nokeys-');
    const prod = await startTokenServer({ production: true, keysDir: emptyKeys.path });
    try {
      expect(prod.keys.status.available).to.equal(false);
      expect(prod.keys.status.warnings[0]).to.equal(
        'OAuth authorization is not available as encryption keys configuration was not complete. Please contact your administrator.',
      );
      for (const path of ['/oauth2-token', '/oauth2-token/introspect', '/oauth2-token/revoke']) {
        const a = await post(prod.url, { grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }, { path });
        expect(a.status).to.equal(503);
        expect(a.body.error).to.equal('temporarily_unavailable');
      }
      expect((await get(`${prod.url}/.well-known/jwks.json`)).body).to.deep.equal({ keys: [] });
    } finally {
      await prod.close();
      await emptyKeys.remove();
    }
  });
});
