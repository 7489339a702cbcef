import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { organizationDecider } from '../../src/domain/organization/organizationDecider.js';
import { toOrganizationStreamName } from '../../src/domain/shared/streamNames.js';
import { passwordGrant } from '../../src/tokens/grants/passwordGrant.js';
import { isOAuthError } from '../../src/tokens/oauthErrors.js';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { meta, seedApp, seedOrganization, seedUser, type SeededApp } from './support/seed.js';
import { decodeJwt, post } from './support/http.js';

/**
 * A first-party application (the console's client, made by the system): its password grant
 * takes back-office users of any organization — and only them — and counts their failures;
 * the grant is callable in-process with the application, as the console calls it.
 */
describe('password grant through a first-party application', function () {
  this.timeout(30_000);
  let server: TokenServer;
  let consoleApp: SeededApp;
  let appOrg: string;

  before(async () => {
    server = await startTokenServer();
    appOrg = await seedOrganization(server);
    consoleApp = await seedApp(server, { name: 'console', organizationId: appOrg, ownerUserId: null, grants: ['password'], firstParty: true });
  });
  after(() => server.close());

  const login = (username: string, password: string) =>
    post(server.url, { grant_type: 'password', client_id: consoleApp.clientId, client_secret: consoleApp.clientSecret, username, password });

  it('given a back-office user of another organization, then tokens for that user', async () => {
    const other = await seedOrganization(server);
    const user = await seedUser(server, { organizationIds: [other] });
    const a = await login(user.username, user.password);
    expect(a.status, JSON.stringify(a.body)).to.equal(200);
    expect(decodeJwt(a.body.access_token as string).payload).to.include({ sub: user.userId });
    expect(decodeJwt(a.body.access_token as string).payload.auth_time).to.be.a('number');
    const introspection = await post(server.url, { token: a.body.access_token, client_id: consoleApp.clientId, client_secret: consoleApp.clientSecret }, { path: '/oauth2-token/introspect' });
    expect(introspection.body).to.include({ active: true, sub: user.userId });
  });

  it('given a customer, or a user whose organizations are all disabled, then the generic invalid_grant', async () => {
    const other = await seedOrganization(server);
    const customer = await seedUser(server, { organizationIds: [other], kind: 'customer' });
    const disabledOrg = await seedOrganization(server);
    const stranded = await seedUser(server, { organizationIds: [disabledOrg] });
    const disabled = await server.commandDeps.handler.handle(organizationDecider, toOrganizationStreamName(disabledOrg), {
      type: 'DisableOrganization', data: { organizationId: disabledOrg }, metadata: meta(server),
    });
    await server.cache.applyAppended(disabled.events);
    for (const user of [customer, stranded]) {
      expect((await login(user.username, user.password)).body).to.deep.equal({
        error: 'invalid_grant', error_description: 'the resource owner credentials are invalid',
      });
    }
  });

  it('given wrong passwords of a back-office user of any organization, then they count (the console is their sign-in)', async () => {
    const user = await seedUser(server, { organizationIds: [await seedOrganization(server)] });
    await login(user.username, 'wrong-password');
    await server.service.deps.loginAttempts.idle();
    expect(server.cache.user(user.userId)?.loginFailures).to.equal(1);
  });

  it('is callable in-process with the application (no client secret), with the same refusals', async () => {
    const user = await seedUser(server, { organizationIds: [await seedOrganization(server)] });
    const application = server.cache.applicationByClientId(consoleApp.clientId)!;
    const request = { correlationId: randomUUID() };
    const ok = await passwordGrant(server.service.deps, { params: { username: user.username, password: user.password }, application, request, now: server.clock.now() });
    expect(ok.access_token).to.be.a('string');
    const refused = await passwordGrant(server.service.deps, { params: { username: user.username, password: 'nope-nope' }, application, request, now: server.clock.now() })
      .then(() => undefined, (error: unknown) => error);
    expect(isOAuthError(refused) && refused.error).to.equal('invalid_grant');
  });
});
