import { expect } from 'chai';
import { createUser } from '../admin/adminKit.js';
import { http, startThreeOrganizations, USER_PASSWORD, type ThreeOrganizations } from '../support/threeOrganizations.js';
import { consoleHttp } from './support/consoleClient.js';

/**
 * Issue 14's console pages across organizations (the three-organization setup of the attacker
 * tests): the History "as of" view and the Tokens tab (period, chart) of an application of A
 * are shown to A's administrator, to G's (global access) and to an auditor of A, read-only;
 * B's administrator, an auditor of B and a plain user of A who does not own it get 404 and
 * nothing of it.
 */
describe('console: History as-of and Tokens pages across organizations', function () {
  this.timeout(60_000);
  let orgs: ThreeOrganizations;
  let app: { id: string; name: string };
  const now = new Date().toISOString();
  const pages = () => [
    `/console/oauth-applications/${app.id}?tab=history&asOf=${encodeURIComponent(now)}`,
    `/console/oauth-applications/${app.id}?tab=tokens&chart=day`,
    `/console/oauth-applications/${app.id}?tab=tokens&from=2020-01-01T00:00`,
  ];
  const consoleOf = async (username: string) => {
    const client = consoleHttp(orgs.url);
    expect((await client.signIn(username, username === 'admin' ? 'admin-password-123' : USER_PASSWORD)).status).to.equal(303);
    return client;
  };
  let auditorA: string;
  let auditorB: string;

  before(async () => {
    orgs = await startThreeOrganizations();
    const created = await http(orgs.url, 'POST', '/admin/oauth-applications', { token: orgs.root.token, body: { name: 'A-only app', grants: ['password'], organizationId: orgs.org.A } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    app = created.body;
    auditorA = (await createUser(orgs.root, { organizationIds: [orgs.org.A], roles: ['auditor'], signIn: false })).username;
    auditorB = (await createUser(orgs.root, { organizationIds: [orgs.org.B], roles: ['auditor'], signIn: false })).username;
  });
  after(() => orgs?.stop());

  it("given A's administrator, G's (global access) and an auditor of A, then every page shows the application, without write buttons for the auditor", async () => {
    for (const username of [orgs.admin.A.username, 'admin', auditorA]) {
      const client = await consoleOf(username);
      for (const path of pages()) {
        const res = await client.get(path);
        expect(res.status, `${username} ${path}`).to.equal(200);
        expect(res.html).to.contain('A-only app');
        if (username === auditorA) expect(res.html).to.not.contain('/rotate-secret').and.not.contain(`/console/oauth-applications/${app.id}/edit`);
      }
    }
  });

  it("given an application moved from A to B, when B's administrator reads it as of before the move, then the admin API answers 404 and the console says it was outside their authority, naming nothing of A", async () => {
    const pause = () => new Promise((r) => setTimeout(r, 20));
    const owner = await createUser(orgs.root, { organizationIds: [orgs.org.A, orgs.org.B], signIn: false });
    const moved = await http(orgs.url, 'POST', '/admin/oauth-applications', { token: orgs.root.token, body: { name: 'Moved app', grants: ['password'], organizationId: orgs.org.A, ownerUserId: owner.id } });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(201);
    const nameOf = async (id: string) => (await http(orgs.url, 'GET', `/admin/organizations/${id}`, { token: orgs.root.token })).body.name as string;
    const [nameA, nameB] = [await nameOf(orgs.org.A), await nameOf(orgs.org.B)];
    await pause();
    const beforeMove = new Date().toISOString();
    await pause();
    const move = await http(orgs.url, 'PATCH', `/admin/oauth-applications/${moved.body.id}`, { token: orgs.root.token, body: { organizationId: orgs.org.B } });
    expect(move.status, JSON.stringify(move.body)).to.equal(200);
    await pause();
    const afterMove = new Date().toISOString();
    const asOf = (token: string, at: string) => http(orgs.url, 'GET', `/admin/oauth-applications/${moved.body.id}?asOf=${at}`, { token });

    const bBefore = await asOf(orgs.admin.B.token, beforeMove);
    const bAfter = await asOf(orgs.admin.B.token, afterMove);
    const rootBefore = await asOf(orgs.root.token, beforeMove);
    const page = await (await consoleOf(orgs.admin.B.username)).get(`/console/oauth-applications/${moved.body.id}?tab=history&asOf=${encodeURIComponent(beforeMove)}`);
    const rootPage = await (await consoleOf('admin')).get(`/console/oauth-applications/${moved.body.id}?tab=history&asOf=${encodeURIComponent(beforeMove)}`);

    expect(bBefore.status).to.equal(404);
    expect(bBefore.body.detail).to.equal('The application was outside your authority at that time.');
    expect(JSON.stringify(bBefore.body)).to.not.contain(nameA).and.not.contain(orgs.org.A);
    expect(bAfter.status).to.equal(200);
    expect(bAfter.body).to.include({ organizationId: orgs.org.B, organizationName: nameB });
    expect(rootBefore.body).to.include({ organizationId: orgs.org.A, organizationName: nameA });
    expect(page.status).to.equal(200);
    expect(page.html).to.contain('this application was outside your authority').and.not.contain('as-of-result').and.not.contain(nameA);
    expect(rootPage.html).to.contain('as-of-result').and.contain(nameA);
  });

  it("given B's administrator, an auditor of B and a plain user of A, then every page is 404 and shows nothing of the application", async () => {
    for (const username of [orgs.admin.B.username, auditorB, orgs.user.A.username]) {
      const client = await consoleOf(username);
      for (const path of pages()) {
        const res = await client.get(path);
        expect(res.status, `${username} ${path}`).to.equal(404);
        expect(res.html).to.not.contain('A-only app').and.not.contain('tg-chart').and.not.contain('as-of-result');
      }
    }
  });
});
