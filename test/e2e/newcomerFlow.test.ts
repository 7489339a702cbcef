import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bootstrapAdminToken, clientToken, http, startTestServer, waitUntilReady, type TestServer } from '../support/tollgateServer.js';
import { waitUntil } from '../workers/waitUntil.js';

/**
 * What a newcomer does after the two README commands: create an application, obtain a
 * token with it, see the email in the outbox, read the application's history.
 */
describe('newcomer flow on the embedded defaults (real HTTP)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let adminToken: string;

  before(async () => {
    server = await startTestServer();
    adminToken = await bootstrapAdminToken(server.url);
  });
  after(() => server?.stop());

  it('creates an application, gets a token with it, emails the owner, and shows the history', async () => {
    // When an administrator creates an application
    const created = await http(server.url, 'POST', '/admin/oauth-applications', {
      token: adminToken,
      body: { name: 'Warehouse sync', grants: ['client_credentials'] },
      headers: { 'user-agent': 'newcomer-test/1.0' },
    });
    expect(created.status).to.equal(201);
    const { id, clientId, clientSecret } = created.body;
    expect(clientId).to.match(/^[A-Za-z0-9_-]{32}$/);
    expect(Buffer.from(clientSecret, 'base64url').length).to.be.at.least(32);

    // Then its credentials obtain a signed JWT access token
    const token = await clientToken(server.url, clientId, clientSecret);
    expect(token.status).to.equal(200);
    expect(token.body.token_type).to.equal('Bearer');
    expect(token.headers['cache-control']).to.equal('no-store');
    const [header] = (token.body.access_token as string).split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).to.include({ typ: 'at+jwt', alg: 'RS256' });

    // And the owner's email lands in the outbox, without the secret
    const outbox = join(server.config.dataDir, 'outbox');
    let mail = '';
    await waitUntil(async () => {
      // The mailer writes a temp file and renames it: read only finished .eml files.
      for (const file of (await readdir(outbox).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'))) {
        const text = await readFile(join(outbox, file), 'utf8').catch(() => '');
        if (text.includes('Warehouse sync')) mail = text;
      }
      return mail !== '';
    }, 'the owner email in the outbox');
    expect(mail).to.match(/Subject: OAuth application added to your account/);
    expect(mail).to.contain('admin@tollgate.local');
    expect(mail).not.to.contain(clientSecret);

    // And the history reads as an audit trail, token issuance included
    const history = await http(server.url, 'GET', `/admin/oauth-applications/${id}/history?include=tokens&order=asc`, { token: adminToken });
    expect(history.status).to.equal(200);
    const types = history.body.items.map((e: { type: string }) => e.type);
    expect(types).to.deep.equal(['ApplicationCreated', 'TokenIssued']);
    expect(history.body.items[0].userAgent).to.equal('newcomer-test/1.0');
    expect(history.body.items[0].actor).to.be.a('string').and.not.equal('');
    expect(JSON.stringify(history.body)).not.to.match(/sha256\$|scrypt\$/);
  });

  it('publishes metadata, JWKS, OpenAPI and readiness', async () => {
    const metadata = await http(server.url, 'GET', '/.well-known/oauth-authorization-server');
    expect(metadata.body.token_endpoint).to.equal(`${metadata.body.issuer}/oauth2-token`);
    expect(metadata.body.grant_types_supported).to.include.members(['client_credentials', 'password', 'refresh_token']);
    const jwks = await http(server.url, 'GET', '/.well-known/jwks.json');
    expect(jwks.body.keys).to.have.length.greaterThan(0);
    const openapi = await http(server.url, 'GET', '/openapi.json');
    expect(openapi.body.openapi).to.equal('3.1.0');
    const ready = await waitUntilReady(server.url);
    expect(ready.body.eventStore).to.include({ kind: 'sqlite', ok: true });
  });

  it('answers unknown routes and wrong methods with problem+json', async () => {
    const missing = await http(server.url, 'GET', '/nowhere');
    expect(missing.status).to.equal(404);
    expect(missing.headers['content-type']).to.contain('application/problem+json');
    const wrongMethod = await http(server.url, 'PUT', '/healthz');
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.headers['content-type']).to.contain('application/problem+json');
    expect(JSON.stringify(wrongMethod.body)).not.to.contain(' at ');
  });
});
