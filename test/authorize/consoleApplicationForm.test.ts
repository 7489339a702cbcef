import { expect } from 'chai';
import { http, unique, type Admin } from '../admin/adminKit.js';
import { ADMIN_PASSWORD, bootstrapAdminToken, startTestServer } from '../support/tollgateServer.js';
import { createFormAgent, hiddenField, type FormAgent } from './support/formAgent.js';

/** The console's create and edit pages for Redirect URLs, Confidential Client, Skip User Consent and token lifetimes, over real HTTP. */
describe('console: authorization_code fields and token lifetimes on the application pages', function () {
  this.timeout(60_000);
  let admin: Admin;
  let agent: FormAgent;
  let csrf: string;

  before(async () => {
    const server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300' });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
    agent = createFormAgent(admin.url);
    const page = await agent.get('/console/');
    const signedIn = await agent.post('/console/sign-in', { _csrf: hiddenField(page.body, '_csrf')!, username: 'admin', password: ADMIN_PASSWORD });
    expect(signedIn.location).to.equal('/console/me');
    csrf = hiddenField((await agent.get('/console/me')).body, '_csrf')!;
  });
  after(async () => admin?.server.stop());

  const createForm = (fields: Record<string, string>) =>
    agent.post('/console/oauth-applications', { _csrf: csrf, organizationId: admin.orgA, active: 'on', allApis: 'on', ...fields });

  it('given the create page, then it offers Authorization Code with Redirect URLs, Confidential Client, Skip User Consent and the lifetimes', async () => {
    const page = await agent.get('/console/oauth-applications/new');
    for (const label of ['Authorization Code', 'Redirect URLs', 'Confidential Client', 'Skip User Consent', 'Access Token Lifetime (seconds)', 'Refresh Token Lifetime (seconds)']) {
      expect(page.body, label).to.contain(label);
    }
  });

  it('when an Authorization Code application is saved with two redirect URLs, public and skipping consent, then it is stored so, with no secret shown', async () => {
    const name = unique('console-code');
    const res = await createForm({ name, grant: 'authorization_code', redirectUris: 'https://app.example/cb\r\nhttp://localhost:3000/cb', skipConsent: 'on', accessTokenTtl: '300' });
    expect(res.status, res.body).to.equal(303);
    const id = /oauth-applications\/([^/]+)\/credentials/.exec(res.location!)![1]!;
    const credentials = await agent.get(res.location!);
    expect(credentials.body).to.contain('public client');
    expect(credentials.body).not.to.contain('id="client-secret"');
    const stored = await http(admin.url, 'GET', `/admin/oauth-applications/${id}`, { token: admin.token });
    expect(stored.body).to.deep.include({
      grants: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://app.example/cb', 'http://localhost:3000/cb'],
      confidential: false,
      skipConsent: true,
      accessTokenTtl: 300,
      refreshTokenTtl: null,
    });
    const view = await agent.get(`/console/oauth-applications/${id}`);
    expect(view.body).to.contain('http://localhost:3000/cb');
    expect(view.body).to.contain('300 s');
  });

  it('given a redirect URL on plain http elsewhere, then the page comes back (400) with the error next to Redirect URLs and the input kept', async () => {
    const res = await createForm({ name: unique('bad'), grant: 'authorization_code', confidential: 'on', redirectUris: 'http://app.example/cb' });
    expect(res.status).to.equal(400);
    expect(res.body).to.match(/id="redirectUris-error">[^<]*https/);
    expect(res.body).to.contain('http://app.example/cb</textarea>');
  });

  it('given the edit page of an Authorization Code application, when the lifetimes and consent are changed, then they are saved; a lifetime above the server\'s is refused next to the field', async () => {
    const created = await createForm({ name: unique('edit'), grant: 'authorization_code', confidential: 'on', redirectUris: 'https://edit.example/cb' });
    const id = /oauth-applications\/([^/]+)\/credentials/.exec(created.location!)![1]!;
    const edit = await agent.get(`/console/oauth-applications/${id}/edit`);
    expect(edit.body).to.contain('https://edit.example/cb</textarea>');
    const base = {
      _csrf: csrf, name: /id="name"[^>]*value="([^"]*)"/.exec(edit.body)![1]!, organizationId: admin.orgA, allApis: 'on',
      revision: hiddenField(edit.body, 'revision')!, redirectUris: 'https://edit.example/cb', confidential: 'on',
    };
    const saved = await agent.post(`/console/oauth-applications/${id}/edit`, { ...base, skipConsent: 'on', refreshTokenTtl: '7200' });
    expect(saved.status, saved.body).to.equal(303);
    const stored = await http(admin.url, 'GET', `/admin/oauth-applications/${id}`, { token: admin.token });
    expect(stored.body).to.deep.include({ skipConsent: true, refreshTokenTtl: 7200, confidential: true });
    const again = await agent.get(`/console/oauth-applications/${id}/edit`);
    const tooLong = await agent.post(`/console/oauth-applications/${id}/edit`, { ...base, revision: hiddenField(again.body, 'revision')!, accessTokenTtl: '999999' });
    expect(tooLong.status).to.equal(400);
    expect(tooLong.body).to.match(/id="accessTokenTtl-error">[^<]*ACCESS_TOKEN_TTL/);
  });
});
