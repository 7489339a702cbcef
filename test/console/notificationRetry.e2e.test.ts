import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../admin/adminKit.js';
import { http, startThreeOrganizations, unique, USER_PASSWORD, type TestUser, type ThreeOrganizations } from '../support/threeOrganizations.js';
import { outboxMessages } from '../support/outbox.js';
import { waitUntil } from '../workers/waitUntil.js';
import { consoleHttp } from './support/consoleClient.js';
import { launchChromium, seriousViolations, signIn } from './support/consoleBrowser.js';

/**
 * The console's Failed notifications page and its Retry button: in Debian's chromium for A's
 * administrator, and over plain HTTP for B's administrator and A's auditor, who try the same
 * retry as an attacker would. The rule is the admin API's (src/app/notificationJobs.ts).
 */
describe('console: retrying a failed notification', function () {
  this.timeout(90_000);
  let w: ThreeOrganizations;
  let browser: Browser;
  let page: Page;
  let auditorA: TestUser;
  let jobId: string;
  let applicationId: string;
  let ownerId: string;
  const applicationName = unique('Label printer');

  const failedIds = async (): Promise<string[]> =>
    ((await http(w.url, 'GET', '/admin/notification-jobs', { token: w.admin.G.token })).body.failed as Array<{ jobId: string }>).map((j) => j.jobId);

  before(async () => {
    w = await startThreeOrganizations();
    auditorA = await createUser(w.root, { organizationIds: [w.org.A], roles: ['auditor'] });
    // An application of A whose owner's address the mailer refuses: its email fails for good.
    const owner = await http(w.url, 'POST', '/admin/users', {
      token: w.admin.A.token,
      body: { username: unique('juergen'), email: 'jürgen@example.test', password: USER_PASSWORD, kind: 'backOffice', roles: ['user'], organizationIds: [w.org.A] },
    });
    ownerId = owner.body.id;
    const app = await http(w.url, 'POST', '/admin/oauth-applications', {
      token: w.admin.A.token,
      body: { name: applicationName, grants: ['client_credentials'], organizationId: w.org.A, ownerUserId: ownerId },
    });
    applicationId = app.body.id;
    const job = await waitUntil(
      async () => ((await http(w.url, 'GET', '/admin/notification-jobs', { token: w.admin.G.token })).body.failed as Array<{ jobId: string; payload: { applicationId: string } }>).find((j) => j.payload.applicationId === applicationId),
      'the failed job',
    );
    jobId = job.jobId;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, reducedMotion: 'reduce' })).newPage();
  });
  after(async () => {
    await browser?.close();
    await w?.stop();
  });

  it('given an administrator of B, when they post a retry of A\'s job from the console, then they are told no such job exists, and it stays failed', async () => {
    const client = consoleHttp(w.url);
    await client.signIn(w.admin.B.username, USER_PASSWORD);
    const list = await client.get('/console/notification-jobs');
    expect(list.status).to.equal(200);
    expect(list.html).not.to.contain(jobId);
    const res = await client.post(`/console/notification-jobs/${jobId}/retry`, {});
    expect(res.status).to.equal(303);
    const after = await client.get(res.location!);
    expect(after.html).to.contain('No failed notification with this id.');
    expect(after.html).not.to.contain(applicationId);
    expect(after.html).not.to.contain(applicationName);
    expect(await failedIds()).to.include(jobId);
  });

  it('given A\'s auditor, when they open the page, then they see the job without a Retry button, and a posted retry is refused', async () => {
    const client = consoleHttp(w.url);
    await client.signIn(auditorA.username, USER_PASSWORD);
    const list = await client.get('/console/notification-jobs');
    expect(list.html).to.contain(jobId);
    expect(list.html).not.to.contain('>Retry<');
    const res = await client.post(`/console/notification-jobs/${jobId}/retry`, {});
    expect(res.status).to.equal(403);
    expect(res.html).to.contain('Auditors have read-only access.');
    expect(await failedIds()).to.include(jobId);
  });

  it('given a retry posted without the session\'s CSRF token, then 403 and the job stays failed', async () => {
    const client = consoleHttp(w.url);
    await client.signIn(w.admin.A.username, USER_PASSWORD);
    const res = await client.post(`/console/notification-jobs/${jobId}/retry`, {}, { csrf: 'forged' });
    expect(res.status).to.equal(403);
    expect(await failedIds()).to.include(jobId);
  });

  it('given A\'s administrator in the browser, when the owner\'s address is fixed and Retry is pressed, then the page says so, the row is gone and the email is sent', async () => {
    await signIn(page, w.url, w.admin.A.username, USER_PASSWORD);
    await page.goto(`${w.url}/console/notification-jobs`);
    const row = page.getByRole('row', { name: new RegExp(jobId) });
    expect(await row.getByRole('cell', { name: 'Yes' }).count()).to.equal(1);
    expect(await row.getByRole('link', { name: applicationName }).getAttribute('href')).to.equal(`/console/oauth-applications/${applicationId}`);
    expect(await seriousViolations(page)).to.deep.equal([]);
    const fixed = await http(w.url, 'PATCH', `/admin/users/${ownerId}`, { token: w.admin.A.token, body: { email: 'juergen@example.test' } });
    expect(fixed.status).to.equal(200);

    await row.getByRole('button', { name: `Retry notification ${jobId}` }).click();

    await page.getByRole('status').getByText('Notification queued again').waitFor();
    expect(new URL(page.url()).pathname).to.equal('/console/notification-jobs');
    await waitUntil(async () => !(await failedIds()).includes(jobId), 'the job out of the failed list');
    const [mail] = await waitUntil(async () => {
      const found = await outboxMessages(w.server.config.dataDir, applicationId);
      return found.length > 0 && found;
    }, 'the email in the outbox');
    expect(mail).to.contain('juergen@example.test');
    await page.reload();
    expect(await page.getByRole('row', { name: new RegExp(jobId) }).count()).to.equal(0);
    expect(await seriousViolations(page)).to.deep.equal([]);
  });
});
