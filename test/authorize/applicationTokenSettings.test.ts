import { expect } from 'chai';
import { createTestClock } from '../tokens/support/tokenServer.js';
import { createApp, createUser, http, unique, USER_PASSWORD, type Admin } from '../admin/adminKit.js';
import { bootstrapAdminToken, startTestServer } from '../support/tollgateServer.js';
import { tokenRequest } from './support/codeFlow.js';

/** The application fields of authorization_code and per-application token lifetimes, through the admin API and the token endpoint. */
describe('application: redirect URIs, confidential, skip consent, token lifetimes', function () {
  this.timeout(60_000);
  const clock = createTestClock();
  let admin: Admin;

  before(async () => {
    const server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300', ACCESS_TOKEN_TTL: '3600', REFRESH_TOKEN_TTL: '86400' }, { now: clock.now });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
  });
  after(async () => admin?.server.stop());

  const post = (body: Record<string, unknown>) =>
    http(admin.url, 'POST', '/admin/oauth-applications', { token: admin.token, body: { name: unique('app'), organizationId: admin.orgA, ...body } });
  const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

  it('given an authorization_code application, when created, then the API shows its redirect URIs, confidential, skipConsent and lifetimes', async () => {
    const res = await post({ grants: ['authorization_code'], redirectUris: ['https://app.example/cb'], confidential: false, skipConsent: true, accessTokenTtl: 300 });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const shown = await http(admin.url, 'GET', `/admin/oauth-applications/${res.body.id}`, { token: admin.token });
    expect(shown.body).to.deep.include({
      grants: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://app.example/cb'],
      confidential: false,
      skipConsent: true,
      accessTokenTtl: 300,
      refreshTokenTtl: null,
    });
  });

  it('given a bad redirect URI, no redirect URI, or a public client with client_credentials, then 400 naming the field, and nothing is created', async () => {
    expect(fieldsOf(await post({ grants: ['authorization_code'], redirectUris: ['http://app.example/cb'] }))).to.deep.equal(['redirectUris']);
    expect(fieldsOf(await post({ grants: ['authorization_code'] }))).to.deep.equal(['redirectUris']);
    const mixed = await post({ grants: ['client_credentials'], ownerUserId: admin.adminId, confidential: false });
    expect(mixed.status).to.equal(400);
    expect(fieldsOf(mixed)).to.deep.equal(['confidential']);
  });

  it('given lifetimes above the server\'s ACCESS_TOKEN_TTL / REFRESH_TOKEN_TTL, then 400 naming the field', async () => {
    const access = await post({ grants: ['client_credentials'], ownerUserId: admin.adminId, accessTokenTtl: 3601 });
    expect(access.status).to.equal(400);
    expect(fieldsOf(access)).to.deep.equal(['accessTokenTtl']);
    const created = await createApp(admin, { name: unique('app'), ownerUserId: admin.adminId });
    const refresh = await http(admin.url, 'PATCH', `/admin/oauth-applications/${created.body.id}`, { token: admin.token, body: { refreshTokenTtl: 86401 } });
    expect(refresh.status).to.equal(400);
    expect(fieldsOf(refresh)).to.deep.equal(['refreshTokenTtl']);
  });

  it('given an edit of the redirect URIs, then it is stored; a wrong type is 400', async () => {
    const res = await post({ grants: ['authorization_code'], redirectUris: ['https://app.example/cb'] });
    const edited = await http(admin.url, 'PATCH', `/admin/oauth-applications/${res.body.id}`, { token: admin.token, body: { redirectUris: ['https://app.example/cb', 'http://localhost:3000/cb'] } });
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);
    expect(edited.body.redirectUris).to.deep.equal(['https://app.example/cb', 'http://localhost:3000/cb']);
    const wrong = await http(admin.url, 'PATCH', `/admin/oauth-applications/${res.body.id}`, { token: admin.token, body: { skipConsent: 'yes' } });
    expect(wrong.status).to.equal(400);
  });

  it('given an application access-token lifetime, then client_credentials tokens last that long', async () => {
    const app = await createApp(admin, { name: unique('short'), ownerUserId: admin.adminId, accessTokenTtl: 120 });
    const res = await tokenRequest(admin.url, { grant_type: 'client_credentials', client_id: app.body.clientId, client_secret: app.body.clientSecret });
    expect(res.body.expires_in).to.equal(120);
    const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).to.equal(120);
  });

  it('given an application refresh-token lifetime, then its password-grant refresh tokens expire after it (the server default would not)', async () => {
    const user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const app = await createApp(admin, { name: unique('pw'), grants: ['password'], refreshTokenTtl: 600 });
    const login = await tokenRequest(admin.url, { grant_type: 'password', username: user.username, password: USER_PASSWORD, client_id: app.body.clientId, client_secret: app.body.clientSecret });
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
    const other = await tokenRequest(admin.url, { grant_type: 'password', username: user.username, password: USER_PASSWORD, client_id: app.body.clientId, client_secret: app.body.clientSecret });
    const renewed = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: other.body.refresh_token, client_id: app.body.clientId, client_secret: app.body.clientSecret });
    expect(renewed.status).to.equal(200);
    clock.advance(601);
    const late = await tokenRequest(admin.url, { grant_type: 'refresh_token', refresh_token: login.body.refresh_token, client_id: app.body.clientId, client_secret: app.body.clientSecret });
    expect(late.body.error).to.equal('invalid_grant');
  });
});
