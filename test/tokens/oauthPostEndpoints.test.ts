import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, http, startTestServer, type HttpResult, type TestServer } from '../support/tollgateServer.js';

/**
 * The OAuth POST endpoints are answered before Koa (src/tokens/http/oauthPostEndpoints.ts);
 * paths only Koa's router matches (trailing slash, other case) reach the same code through the
 * Koa routes. Both ways must answer alike, with everything the Koa chain used to add.
 */
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const SECURITY_HEADERS = [
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'content-security-policy',
  'cross-origin-resource-policy',
  'strict-transport-security',
];

const tokenRequest = (server: TestServer, path: string, headers: Record<string, string> = {}, secret = BOOTSTRAP_CLIENT_SECRET) =>
  http(server.url, 'POST', path, {
    rawBody: 'grant_type=client_credentials',
    headers: { ...FORM, authorization: basic(BOOTSTRAP_CLIENT_ID, secret), ...headers },
  });

const headerNames = (res: HttpResult) =>
  Object.keys(res.headers)
    .filter((name) => !['date', 'connection', 'keep-alive', 'content-length'].includes(name))
    .sort();

describe('OAuth POST endpoints outside Koa', function () {
  this.timeout(30_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ CORS_ALLOWED_ORIGINS: 'https://app.example' });
  });
  after(() => server?.stop());

  it('given a token request, then it carries the security headers, no-store and a JSON body', async () => {
    // When
    const res = await tokenRequest(server, '/oauth2-token');
    // Then
    expect(res.status).to.equal(200);
    for (const name of SECURITY_HEADERS) expect(res.headers, name).to.have.property(name);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['pragma']).to.equal('no-cache');
    expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(res.headers['x-correlation-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(res.body.token_type).to.equal('Bearer');
  });

  it('given the same request on a path only the router matches, then the answer is the same', async () => {
    // Given the direct path and two the Koa router also matches (trailing slash, other case)
    const direct = await tokenRequest(server, '/oauth2-token');
    for (const path of ['/oauth2-token/', '/OAuth2-Token']) {
      // When
      const routed = await tokenRequest(server, path);
      // Then
      expect(routed.status, path).to.equal(200);
      expect(headerNames(routed), path).to.deep.equal(headerNames(direct));
      expect(Object.keys(routed.body).sort(), path).to.deep.equal(Object.keys(direct.body).sort());
    }
  });

  it('given a query string, then the endpoint still answers (the query is ignored)', async () => {
    const res = await tokenRequest(server, '/oauth2-token?probe=1');
    expect(res.status).to.equal(200);
  });

  it('given a well-formed X-Correlation-Id, then it is echoed and recorded on the TokenIssued event', async () => {
    // When
    const res = await tokenRequest(server, '/oauth2-token', { 'x-correlation-id': 'trace-4711' });
    // Then
    expect(res.headers['x-correlation-id']).to.equal('trace-4711');
    const events = await server.tollgate.store.readAll({ filter: { eventTypes: ['TokenIssued'] } });
    expect(events.some((e) => e.metadata.correlationId === 'trace-4711')).to.equal(true);
    // And a malformed one is replaced
    const odd = await tokenRequest(server, '/oauth2-token', { 'x-correlation-id': 'no spaces allowed' });
    expect(odd.headers['x-correlation-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('given a wrong secret, then 401 invalid_client with WWW-Authenticate, no-store and no internals, both ways', async () => {
    for (const path of ['/oauth2-token', '/oauth2-token/']) {
      // When
      const res = await tokenRequest(server, path, {}, 'not-the-secret');
      // Then
      expect(res.status, path).to.equal(401);
      expect(res.body.error).to.equal('invalid_client');
      expect(res.headers['www-authenticate']).to.match(/^Basic /);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
      for (const name of SECURITY_HEADERS) expect(res.headers, name).to.have.property(name);
      expect(JSON.stringify(res.body)).not.to.match(/ at |sha256|not-the-secret/);
    }
  });

  it('given a malformed body or a wrong content type, then 400 invalid_request', async () => {
    const json = await http(server.url, 'POST', '/oauth2-token', {
      rawBody: '{"grant_type":',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: basic(BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET) },
    });
    expect(json.status).to.equal(400);
    expect(json.body).to.deep.equal({ error: 'invalid_request', error_description: 'the request body is not valid JSON' });
    const text = await http(server.url, 'POST', '/oauth2-token', { rawBody: 'grant_type=client_credentials', headers: { 'content-type': 'text/plain' } });
    expect(text.status).to.equal(400);
    expect(text.body.error).to.equal('invalid_request');
  });

  it('given an allowed origin, then CORS headers; given another origin, then none', async () => {
    const allowed = await tokenRequest(server, '/oauth2-token', { origin: 'https://app.example' });
    expect(allowed.headers['access-control-allow-origin']).to.equal('https://app.example');
    expect(allowed.headers['access-control-expose-headers']).to.equal('WWW-Authenticate, Retry-After');
    expect(allowed.headers['vary']).to.equal('Origin');
    const other = await tokenRequest(server, '/oauth2-token', { origin: 'https://evil.example' });
    expect(other.status).to.equal(200);
    expect(other.headers).not.to.have.property('access-control-allow-origin');
    expect(other.headers['vary']).to.equal('Origin');
  });

  it('given another method on the token path, then Koa answers 405 naming POST', async () => {
    const res = await http(server.url, 'GET', '/oauth2-token');
    expect(res.status).to.equal(405);
    expect(String(res.headers['allow'])).to.contain('POST');
  });

  it('given successes and errors, direct and through the Koa route, with and without an allowed origin, then no header is sent twice', async () => {
    // The endpoint writes its headers as one list; behind Koa, the middleware has set some of them already.
    const rawHeaderNames = (path: string, secret: string, origin?: string) =>
      new Promise<string[]>((resolve, reject) => {
        const url = new URL(path, server.url);
        const req = httpRequest(url, {
          method: 'POST',
          headers: { ...FORM, authorization: basic(BOOTSTRAP_CLIENT_ID, secret), ...(origin ? { origin } : {}) },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase())));
        });
        req.on('error', reject);
        req.end('grant_type=client_credentials');
      });
    for (const path of ['/oauth2-token', '/oauth2-token/']) {
      for (const secret of [BOOTSTRAP_CLIENT_SECRET, 'wrong-secret']) {
        for (const origin of [undefined, 'https://app.example']) {
          // When
          const names = await rawHeaderNames(path, secret, origin);
          // Then
          const what = `${path} ${secret === BOOTSTRAP_CLIENT_SECRET ? 'success' : 'error'} ${origin ?? 'no origin'}`;
          expect(names.filter((name, i) => names.indexOf(name) !== i), what).to.deep.equal([]);
          for (const name of [...SECURITY_HEADERS, 'x-correlation-id', 'cache-control', 'content-type']) expect(names, what).to.include(name);
          if (origin) expect(names, what).to.include('access-control-allow-origin');
        }
      }
    }
  });
});
