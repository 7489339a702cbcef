import { expect } from 'chai';
import { clientAddress } from '../../src/http/clientAddress.js';
import { BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, http, startTestServer, waitUntilReady, type TestServer } from '../support/tollgateServer.js';

const tokenRequest = (forwardedFor?: string, correlationId?: string) => ({
  rawBody: new URLSearchParams({ grant_type: 'client_credentials', client_id: BOOTSTRAP_CLIENT_ID, client_secret: BOOTSTRAP_CLIENT_SECRET }).toString(),
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
  },
});

describe('client address (TRUST_PROXY)', () => {
  it('given TRUST_PROXY off, then the socket peer, whatever X-Forwarded-For says', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.9', 0)).to.equal('10.0.0.2');
  });
  it('given one trusted hop, then the rightmost entry (what the proxy saw), not what the client wrote left of it', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.9', 1)).to.equal('203.0.113.9');
    expect(clientAddress('10.0.0.2', '1.1.1.1, 203.0.113.9', 1)).to.equal('203.0.113.9');
    expect(clientAddress('10.0.0.2', ['1.1.1.1', '203.0.113.9'], 1)).to.equal('203.0.113.9');
  });
  it('given two trusted hops, then the second entry from the right', () => {
    expect(clientAddress('10.0.0.3', 'spoofed, 203.0.113.9, 10.0.0.2', 2)).to.equal('203.0.113.9');
    expect(clientAddress('10.0.0.3', '2001:db8::1', 2)).to.equal('2001:db8::1');
  });
  it('given no header, an empty one or a non-address entry, then the socket peer', () => {
    expect(clientAddress('10.0.0.2', undefined, 1)).to.equal('10.0.0.2');
    expect(clientAddress('10.0.0.2', ' , ', 1)).to.equal('10.0.0.2');
    expect(clientAddress('10.0.0.2', '<script>', 1)).to.equal('10.0.0.2');
  });
});

describe('TRUST_PROXY through a real server', function () {
  this.timeout(60_000);
  const ipOf = async (server: TestServer, correlationId: string): Promise<string | undefined> =>
    (await server.tollgate.store.readAll({ maxCount: 100_000 })).find((e) => e.metadata.correlationId === correlationId)?.metadata.ip;

  describe('off (the default)', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ RATE_LIMIT_PER_IP: '2', RATE_LIMIT_WINDOW: '60' }, { runWorker: false });
    });
    after(() => server.stop());

    it('given a forged X-Forwarded-For, then the audit trail records the socket address and the per-IP limit cannot be dodged', async () => {
      const first = await http(server.url, 'POST', '/oauth2-token', tokenRequest('203.0.113.9', 'proxy-off-1'));
      expect(first.status).to.equal(200);
      expect(await ipOf(server, 'proxy-off-1')).to.match(/127\.0\.0\.1$/);
      expect((await http(server.url, 'POST', '/oauth2-token', tokenRequest('203.0.113.10'))).status).to.equal(200);
      // A third address in the header is still the same client: refused
      expect((await http(server.url, 'POST', '/oauth2-token', tokenRequest('203.0.113.11'))).status).to.equal(429);
    });
  });

  describe('TRUST_PROXY=1', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ TRUST_PROXY: '1', RATE_LIMIT_PER_IP: '2', RATE_LIMIT_WINDOW: '60' }, { runWorker: false });
      await waitUntilReady(server.url);
    });
    after(() => server.stop());

    it('given a request through the proxy, then the token event and admin writes record the forwarded client address', async () => {
      const token = await http(server.url, 'POST', '/oauth2-token', tokenRequest('198.51.100.1, 203.0.113.20', 'proxy-on-1'));
      expect(token.status).to.equal(200);
      expect(await ipOf(server, 'proxy-on-1')).to.equal('203.0.113.20');
      const created = await http(server.url, 'POST', '/admin/organizations', {
        token: token.body.access_token,
        body: { name: 'proxied' },
        headers: { 'x-forwarded-for': '203.0.113.21', 'x-correlation-id': 'proxy-on-2' },
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect(await ipOf(server, 'proxy-on-2')).to.equal('203.0.113.21');
    });

    it('given two clients behind the proxy, then each has its own per-IP quota', async () => {
      for (let i = 0; i < 2; i++) expect((await http(server.url, 'POST', '/oauth2-token', tokenRequest('203.0.113.30'))).status).to.equal(200);
      expect((await http(server.url, 'POST', '/oauth2-token', tokenRequest('203.0.113.30'))).status).to.equal(429);
      expect((await http(server.url, 'POST', '/oauth2-token', tokenRequest('203.0.113.31'))).status).to.equal(200);
    });
  });
});
