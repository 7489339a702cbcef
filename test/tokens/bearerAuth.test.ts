import { expect } from 'chai';
import { SignJWT, base64url } from 'jose';
import { BearerAuthError } from '../../src/tokens/bearerAuth.js';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { seedApp, seedWorld, setActive, userCommand } from './support/seed.js';
import { post } from './support/http.js';

describe('admin API bearer authentication and the storefront / back-office split', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  before(async () => {
    server = await startTokenServer();
    world = await seedWorld(server);
  });
  after(() => server.close());

  const tokenFor = async (app: { clientId: string; clientSecret: string }) =>
    (await post(server.url, { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret })).body.access_token as string;
  const authenticate = (token: string) => server.service.authenticateBearer(`Bearer ${token}`);
  const rejection = async (header: string | undefined): Promise<BearerAuthError> => {
    try {
      await server.service.authenticateBearer(header);
    } catch (error) {
      expect(error).to.be.instanceOf(BearerAuthError);
      return error as BearerAuthError;
    }
    throw new Error('expected a rejection');
  };

  it("given a back-office app's token, then the principal is its owner", async () => {
    const principal = await authenticate(await tokenFor(world.ccApp));
    expect(principal).to.include({ userId: world.admin.userId, username: world.admin.username, applicationId: world.ccApp.applicationId, clientId: world.ccApp.clientId });
    expect(principal.roles).to.deep.equal(['admin']);
    expect(principal.organizationIds).to.deep.equal([world.organizationId]);
  });

  it('given a storefront token, then it never authenticates on the admin API, and its aud holds only storefront APIs', async () => {
    const token = await tokenFor(world.storefrontApp);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { aud: string[] };
    expect(payload.aud).to.deep.equal([`${server.issuer}/storefront/api`]);
    expect((await rejection(`Bearer ${token}`)).code).to.equal('invalid_token');
  });

  it('given a back-office token without the admin API audience, then it is refused', async () => {
    const app = await seedApp(server, { name: 'scim only', organizationId: world.organizationId, ownerUserId: world.admin.userId, grants: ['client_credentials'], allApis: false, apis: ['scim'] });
    expect((await rejection(`Bearer ${await tokenFor(app)}`)).code).to.equal('invalid_token');
  });

  it('given a storefront app restricted to back-office APIs, then it gets no token at all', async () => {
    const app = await seedApp(server, { name: 'confused', organizationId: world.organizationId, ownerUserId: world.customer.userId, grants: ['client_credentials'], allApis: false, apis: ['tollgate-admin'] });
    const a = await post(server.url, { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret });
    expect(a.status).to.equal(400);
    expect(a.body.error).to.equal('unauthorized_client');
  });

  it('refuses at once after the app is deactivated or the user disabled or locked', async () => {
    const app = await seedApp(server, { name: 'bearer lifecycle', organizationId: world.organizationId, ownerUserId: world.admin.userId, grants: ['client_credentials'] });
    const token = await tokenFor(app);
    await authenticate(token);
    await setActive(server, app.applicationId, false);
    expect((await rejection(`Bearer ${token}`)).code).to.equal('invalid_token');
    await setActive(server, app.applicationId, true);
    await userCommand(server, world.admin.userId, 'LockUser');
    try {
      expect((await rejection(`Bearer ${token}`)).code).to.equal('invalid_token');
    } finally {
      await userCommand(server, world.admin.userId, 'UnlockUser');
    }
    await authenticate(token);
  });

  it('refuses expired tokens, missing or malformed headers, alg none and HS256 made with the public key', async () => {
    const token = await tokenFor(world.ccApp);
    server.clock.advance(3601);
    try {
      expect((await rejection(`Bearer ${token}`)).code).to.equal('invalid_token');
    } finally {
      server.clock.advance(-3601);
    }
    expect((await rejection(undefined)).code).to.equal('missing_token');
    expect((await rejection('Bearer a b c')).code).to.equal('invalid_request');
    const [, payload] = token.split('.');
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: server.keys.signingKey!.kid }))}.${payload}.`;
    expect((await rejection(`Bearer ${none}`)).code).to.equal('invalid_token');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const publicPem = new TextEncoder().encode(JSON.stringify(server.keys.jwks.keys[0]));
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: server.keys.signingKey!.kid }).sign(publicPem);
    expect((await rejection(`Bearer ${hs}`)).code).to.equal('invalid_token');
    expect((await rejection(`Bearer ${hs}`)).wwwAuthenticate).to.equal('Bearer realm="tollgate", error="invalid_token"');
  });
});
