import { expect } from 'chai';
import { jwtVerify, createLocalJWKSet } from 'jose';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { seedWorld, seedApp } from './support/seed.js';
import { decodeJwt, post } from './support/http.js';

describe('POST /oauth2-token — client_credentials', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  before(async () => {
    server = await startTokenServer();
    world = await seedWorld(server);
  });
  after(() => server.close());

  it('given an active app, when it posts its credentials in a form body, then it gets an RFC 9068 JWT acting as its owner', async () => {
    const { ccApp, admin, organizationId } = world;
    const answer = await post(server.url, {
      grant_type: 'client_credentials',
      client_id: ccApp.clientId,
      client_secret: ccApp.clientSecret,
    });
    expect(answer.status).to.equal(200);
    expect(answer.headers['cache-control']).to.equal('no-store');
    expect(answer.headers.pragma).to.equal('no-cache');
    expect(answer.body).to.include({ token_type: 'Bearer', expires_in: 3600, scope: 'read write' });
    expect(answer.body).not.to.have.property('refresh_token');
    const token = answer.body.access_token as string;
    const { header, payload } = decodeJwt(token);
    expect(header).to.deep.equal({ alg: 'RS256', typ: 'at+jwt', kid: server.keys.signingKey!.kid });
    expect(payload).to.include({ iss: server.issuer, sub: admin.userId, client_id: ccApp.clientId, org: organizationId, scope: 'read write' });
    expect(payload.aud).to.deep.equal(server.service.deps.catalog.audiencesFor({ frontend: false, allApis: true, apis: [] }));
    expect(payload.exp).to.equal((payload.iat as number) + 3600);
    expect(payload.jti).to.be.a('string');
    const verified = await jwtVerify(token, createLocalJWKSet(server.keys.jwks), { issuer: server.issuer, typ: 'at+jwt' });
    expect(verified.payload.sub).to.equal(admin.userId);
  });

  it('given an app, when it authenticates with HTTP Basic and a JSON body, then it gets a token', async () => {
    const answer = await post(
      server.url,
      { grant_type: 'client_credentials' },
      { encoding: 'json', basic: { id: world.ccApp.clientId, secret: world.ccApp.clientSecret } },
    );
    expect(answer.status).to.equal(200);
    expect(answer.body.access_token).to.be.a('string');
  });

  it('given a requested scope within the app scopes (scope or legacy scopes), then the token carries exactly it', async () => {
    const { ccApp } = world;
    const viaScope = await post(server.url, { grant_type: 'client_credentials', client_id: ccApp.clientId, client_secret: ccApp.clientSecret, scope: 'read' });
    const viaScopes = await post(
      server.url,
      { grant_type: 'client_credentials', client_id: ccApp.clientId, client_secret: ccApp.clientSecret, scopes: ['write'] },
      { encoding: 'json' },
    );
    expect(viaScope.body.scope).to.equal('read');
    expect(decodeJwt(viaScope.body.access_token as string).payload.scope).to.equal('read');
    expect(viaScopes.body.scope).to.equal('write');
  });

  it('given a restricted app, then aud holds only its listed APIs of its own side', async () => {
    const app = await seedApp(server, {
      name: 'restricted', organizationId: world.organizationId, ownerUserId: world.admin.userId,
      grants: ['client_credentials'], allApis: false, apis: ['scim'],
    });
    const answer = await post(server.url, { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret });
    expect(answer.status).to.equal(200);
    expect(decodeJwt(answer.body.access_token as string).payload.aud).to.deep.equal([`${server.issuer}/scim/v2`]);
  });

  it('records a TokenIssued event per token on oauthTokens-<applicationId>, with its retention set', async () => {
    const { ccApp } = world;
    const answer = await post(server.url, { grant_type: 'client_credentials', client_id: ccApp.clientId, client_secret: ccApp.clientSecret });
    const jti = decodeJwt(answer.body.access_token as string).payload.jti;
    const events = await server.store.readStream(`oauthTokens-${ccApp.applicationId}`);
    const issued = events.find((e) => (e.data as { jti?: string }).jti === jti);
    expect(issued?.type).to.equal('TokenIssued');
    expect(issued?.data).to.include({ grant: 'client_credentials', sub: world.admin.userId, clientId: ccApp.clientId });
    expect(JSON.stringify(events)).not.to.include(ccApp.clientSecret);
  });
});
