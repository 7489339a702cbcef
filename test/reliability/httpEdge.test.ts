import { connect } from 'node:net';
import { expect } from 'chai';
import { BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, bootstrapAdminToken, clientToken, http, startTestServer, type HttpResult, type TestServer } from '../support/tollgateServer.js';

/** Security headers on every kind of response, and the request size limits. */
describe('HTTP edge: security headers everywhere, size limits', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;
  before(async () => {
    server = await startTestServer({}, { runWorker: false });
    admin = await bootstrapAdminToken(server.url);
  });
  after(() => server?.stop());

  function expectSecurityHeaders(res: HttpResult, what: string): void {
    expect(res.headers['x-content-type-options'], what).to.equal('nosniff');
    expect(res.headers['x-frame-options'], what).to.equal('DENY');
    expect(res.headers['referrer-policy'], what).to.equal('no-referrer');
    expect(res.headers['content-security-policy'], what).to.equal("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['strict-transport-security'], what).to.match(/^max-age=\d+/);
  }
  const form = (params: Record<string, string>) => ({
    rawBody: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

  it('on OAuth successes and errors, metadata, JWKS, health, admin successes, 401, 404 and 405', async () => {
    const responses: Array<[string, HttpResult]> = [
      ['token 200', await clientToken(server.url, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET)],
      ['token 401', await clientToken(server.url, BOOTSTRAP_CLIENT_ID, 'wrong')],
      ['token 400', await http(server.url, 'POST', '/oauth2-token', form({ grant_type: 'nope' }))],
      ['token preflight', await http(server.url, 'OPTIONS', '/oauth2-token')],
      ['introspect 200', await http(server.url, 'POST', '/oauth2-token/introspect', form({ client_id: BOOTSTRAP_CLIENT_ID, client_secret: BOOTSTRAP_CLIENT_SECRET, token: admin }))],
      ['revoke 401', await http(server.url, 'POST', '/oauth2-token/revoke', form({ token: 'x' }))],
      ['token GET 405', await http(server.url, 'GET', '/oauth2-token')],
      ['metadata', await http(server.url, 'GET', '/.well-known/oauth-authorization-server')],
      ['jwks', await http(server.url, 'GET', '/.well-known/jwks.json')],
      ['healthz', await http(server.url, 'GET', '/healthz')],
      ['readyz', await http(server.url, 'GET', '/readyz')],
      ['admin 200', await http(server.url, 'GET', '/admin/me', { token: admin })],
      ['admin 401', await http(server.url, 'GET', '/admin/me')],
      ['unknown route 404', await http(server.url, 'GET', '/no/such/thing')],
      ['root 404', await http(server.url, 'GET', '/')],
      ['admin 405', await http(server.url, 'DELETE', '/admin/me', { token: admin })],
    ];
    for (const [what, res] of responses) expectSecurityHeaders(res, `${what} (${res.status})`);
    expect(responses.find(([w]) => w === 'unknown route 404')![1].status).to.equal(404);
  });

  it('given a 20 kB header, then 431 (Node maxHeaderSize 16 kB) with the security headers and a problem+json body', async () => {
    const res = await http(server.url, 'GET', '/healthz', { headers: { 'x-padding': 'a'.repeat(20 * 1024) } });
    expect(res.status).to.equal(431);
    expectSecurityHeaders(res, '431');
    expect(res.body).to.include({ status: 431, title: 'Request Header Fields Too Large' });
    expect((await http(server.url, 'GET', '/healthz')).status).to.equal(200);
  });

  it('given a 20 kB URL, then 431 too', async () => {
    const res = await http(server.url, 'GET', `/admin/oauth-applications?name=${'n'.repeat(20 * 1024)}`, { token: admin });
    expect(res.status).to.equal(431);
  });

  it('given a malformed request line, then 400 with the security headers, and the server goes on', async () => {
    const { port } = new URL(server.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('GARBAGE / HTTP/9.9\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).to.include('X-Content-Type-Options: nosniff');
    expect((await http(server.url, 'GET', '/healthz')).status).to.equal(200);
  });

  it('given bodies over 64 kB, then 413 at the token endpoint (RFC 6749 body) and at the admin API (problem+json)', async () => {
    const big = 'x'.repeat(65 * 1024);
    const token = await http(server.url, 'POST', '/oauth2-token', form({ grant_type: 'client_credentials', pad: big }));
    expect(token.status).to.equal(413);
    expect(token.body.error).to.equal('invalid_request');
    expectSecurityHeaders(token, 'token 413');
    const adminRes = await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: big, grants: ['client_credentials'] } });
    expect(adminRes.status).to.equal(413);
    expect(adminRes.headers['content-type']).to.match(/^application\/problem\+json/);
    expectSecurityHeaders(adminRes, 'admin 413');
  });
});
