import { expect } from 'chai';
import {
  USER_PASSWORD,
  createApp,
  createOrganization,
  createUser,
  http,
  clientToken,
  startAdmin,
  unique,
  type Admin,
  type HttpResult,
} from '../admin/adminKit.js';

/**
 * "Credentials change, sessions end", through real HTTP on a real server: after a password
 * reset, disabling, an administrator's lock or removal from an organization, the user's
 * password-grant access tokens and refresh tokens are over — introspection says inactive,
 * the admin API answers 401, refreshing is invalid_grant — while the user's
 * client_credentials application survives a password change (it is not a session).
 */
describe('credentials change, sessions end (real HTTP)', function () {
  this.timeout(60_000);
  let admin: Admin;
  let orgB: string;
  let app: { clientId: string; clientSecret: string };

  before(async () => {
    admin = await startAdmin();
    orgB = await createOrganization(admin);
    const created = await createApp(admin, { name: unique('sessions-app'), grants: ['password'], organizationId: admin.orgA });
    app = { clientId: created.body.clientId, clientSecret: created.body.clientSecret };
  });
  after(() => admin.server.stop());

  const form = (params: Record<string, string>) => ({
    rawBody: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...params }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const signIn = async (username: string, password = USER_PASSWORD) => {
    const res = await http(admin.url, 'POST', '/oauth2-token', form({ grant_type: 'password', username, password }));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { access_token: string; refresh_token: string };
  };
  const introspect = (token: string) => http(admin.url, 'POST', '/oauth2-token/introspect', form({ token }));
  const refresh = (token: string) => http(admin.url, 'POST', '/oauth2-token', form({ grant_type: 'refresh_token', refresh_token: token }));
  const me = (token: string): Promise<HttpResult> => http(admin.url, 'GET', '/admin/me', { token });
  const patchUser = async (id: string, body: Record<string, unknown>) => {
    const res = await http(admin.url, 'PATCH', `/admin/users/${id}`, { token: admin.token, body });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  };

  const expectSessionOver = async (session: { access_token: string; refresh_token: string }) => {
    expect((await introspect(session.access_token)).body).to.deep.equal({ active: false });
    expect((await introspect(session.refresh_token)).body).to.deep.equal({ active: false });
    const adminApi = await me(session.access_token);
    expect(adminApi.status).to.equal(401);
    expect(adminApi.headers['www-authenticate']).to.match(/invalid_token/);
    const refreshed = await refresh(session.refresh_token);
    expect(refreshed.status).to.equal(400);
    expect(refreshed.body.error).to.equal('invalid_grant');
  };

  const changes: Record<string, (userId: string) => Promise<void>> = {
    'a password reset': (id) => patchUser(id, { password: 'a-new-password-456' }),
    disabling: (id) => patchUser(id, { enabled: false }),
    "an administrator's lock": (id) => patchUser(id, { locked: true }),
    'removal from an organization': (id) => patchUser(id, { organizationIds: [admin.orgA] }),
  };

  for (const [what, change] of Object.entries(changes)) {
    it(`given ${what}, then the user's access and refresh tokens (also refreshed ones) are over`, async () => {
      const user = await createUser(admin, { organizationIds: [admin.orgA, orgB], signIn: false });
      const session = await signIn(user.username);
      const refreshed = (await refresh(session.refresh_token)).body as { access_token: string; refresh_token: string };
      expect((await me(refreshed.access_token)).status).to.equal(200);
      expect((await introspect(session.access_token)).body.active).to.equal(true);
      await change(user.id);
      await expectSessionOver(refreshed);
      expect((await introspect(session.access_token)).body).to.deep.equal({ active: false });
    });
  }

  it('given a password reset, then a new sign-in with the new password works at once, and re-enabling after disabling does not revive old sessions', async () => {
    const user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const old = await signIn(user.username);
    await patchUser(user.id, { password: 'a-new-password-456' });
    const fresh = await signIn(user.username, 'a-new-password-456');
    expect((await me(fresh.access_token)).status).to.equal(200);
    expect((await refresh(fresh.refresh_token)).status).to.equal(200);
    await expectSessionOver(old);

    const again = await signIn(user.username, 'a-new-password-456');
    await patchUser(user.id, { enabled: false });
    await patchUser(user.id, { enabled: true });
    await expectSessionOver(again);
  });

  it("given a password reset, then the user's client_credentials application keeps working (it is not a session); disabling stops it", async () => {
    const user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const cc = await createApp(admin, { name: unique('cc'), organizationId: admin.orgA, ownerUserId: user.id });
    const before = await clientToken(admin.url, cc.body.clientId, cc.body.clientSecret);
    expect(before.status).to.equal(200);
    await patchUser(user.id, { password: 'a-new-password-456' });
    expect((await me(before.body.access_token)).status).to.equal(200);
    expect((await introspect(before.body.access_token)).body.active).to.equal(true);
    expect((await clientToken(admin.url, cc.body.clientId, cc.body.clientSecret)).status).to.equal(200);
    await patchUser(user.id, { enabled: false });
    expect((await me(before.body.access_token)).status).to.equal(401);
    expect((await clientToken(admin.url, cc.body.clientId, cc.body.clientSecret)).status).to.equal(400);
  });

  it('given a profile change that removes no organization (email, joining one), then sessions go on', async () => {
    const user = await createUser(admin, { organizationIds: [admin.orgA], signIn: false });
    const session = await signIn(user.username);
    await patchUser(user.id, { email: `${user.username}@elsewhere.test`, organizationIds: [admin.orgA, orgB] });
    expect((await me(session.access_token)).status).to.equal(200);
    expect((await refresh(session.refresh_token)).status).to.equal(200);
  });
});
