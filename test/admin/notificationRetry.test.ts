import { expect } from 'chai';
import { createUser } from './adminKit.js';
import { expectProblem, http, startThreeOrganizations, unique, USER_PASSWORD, type TestUser, type ThreeOrganizations } from '../support/threeOrganizations.js';
import { outboxMessages } from '../support/outbox.js';
import { waitUntil } from '../workers/waitUntil.js';

interface FailedJobView {
  jobId: string;
  applicationName: string | null;
  payload: { applicationId: string };
  permanent: boolean;
  error: string;
}

/**
 * POST /admin/notification-jobs/:jobId/retry through real HTTP, on one server with three
 * organizations (G with global access, A, B): the failed email of an application of A, whose
 * owner's address cannot be sent to, is retried once the address is fixed. Tried as B's
 * administrator, an auditor and a plain user would, and by two administrators at once.
 */
describe('Retrying a failed notification (admin API)', function () {
  this.timeout(60_000);
  let w: ThreeOrganizations;
  let auditorA: TestUser;

  before(async () => {
    w = await startThreeOrganizations();
    auditorA = await createUser(w.root, { organizationIds: [w.org.A], roles: ['auditor'] });
  });
  after(async () => w.stop());

  const call = (token: string, method: string, path: string, body?: unknown) => http(w.url, method, path, { token, body });
  const failedOf = async (token: string): Promise<FailedJobView[]> => (await call(token, 'GET', '/admin/notification-jobs')).body.failed;
  const retry = (token: string, jobId: string) => call(token, 'POST', `/admin/notification-jobs/${jobId}/retry`);

  /** An application of A whose owner has an address the mailer refuses: its email fails for good. */
  async function failedJobInA(): Promise<{ job: FailedJobView; applicationName: string; ownerId: string }> {
    const owner = await call(w.admin.A.token, 'POST', '/admin/users', {
      username: unique('juergen'), email: 'jürgen@example.test', password: USER_PASSWORD, kind: 'backOffice', roles: ['user'], organizationIds: [w.org.A],
    });
    expect(owner.status, JSON.stringify(owner.body)).to.equal(201);
    const applicationName = unique('Failed mail');
    const app = await call(w.admin.A.token, 'POST', '/admin/oauth-applications', { name: applicationName, grants: ['client_credentials'], organizationId: w.org.A, ownerUserId: owner.body.id });
    expect(app.status, JSON.stringify(app.body)).to.equal(201);
    const job = await waitUntil(async () => (await failedOf(w.admin.G.token)).find((j) => j.payload.applicationId === app.body.id), 'the failed job');
    expect(job).to.include({ permanent: true, applicationName });
    expect(job.error).to.match(/invalid email address/);
    return { job, applicationName, ownerId: owner.body.id };
  }

  const mailsFor = (applicationName: string) => outboxMessages(w.server.config.dataDir, applicationName);

  it('given a failed job of an application of A, when an administrator of B retries it, then 404 as for a job that does not exist, and it stays failed', async () => {
    const { job } = await failedJobInA();
    const attack = await retry(w.admin.B.token, job.jobId);
    const none = await retry(w.admin.B.token, 'no-such-job');
    expectProblem(attack, 404);
    expectProblem(none, 404);
    expect(attack.body.detail).to.equal(none.body.detail);
    expect(JSON.stringify(attack.body)).not.to.contain(job.payload.applicationId);
    expect((await failedOf(w.admin.A.token)).map((j) => j.jobId)).to.include(job.jobId);
  });

  it('given a failed job of A, when its auditor, a plain user of A or no one retries it, then 403, 403 and 401, and it stays failed', async () => {
    const { job } = await failedJobInA();
    const asAuditor = await retry(auditorA.token, job.jobId);
    expectProblem(asAuditor, 403);
    expect(asAuditor.body.detail).to.equal('Auditors have read-only access.');
    expectProblem(await retry(w.user.A.token, job.jobId), 403);
    expectProblem(await http(w.url, 'POST', `/admin/notification-jobs/${job.jobId}/retry`), 401);
    expect((await failedOf(auditorA.token)).map((j) => j.jobId), 'the auditor still reads it').to.include(job.jobId);
  });

  it('given hostile job ids, when retried, then 404 each and nothing changes', async () => {
    const before = (await call(w.admin.G.token, 'GET', '/admin/notification-jobs')).body.counts;
    for (const id of ['..', '%2e%2e%2fprocessed', 'a:b', encodeURIComponent('job\nid'), 'x'.repeat(101), '%00']) {
      const res = await retry(w.admin.G.token, id);
      expect(res.status, id).to.equal(404);
      expect(JSON.stringify(res.body), id).not.to.match(/stack|at \w+ \(/);
    }
    expect((await call(w.admin.G.token, 'GET', '/admin/notification-jobs')).body.counts).to.deep.equal(before);
  });

  it('given the owner address fixed, when the administrators of A and G retry the job at once, then one gets 202, the other a clear refusal, and the email is sent once', async () => {
    const { job, applicationName, ownerId } = await failedJobInA();
    const fixed = await call(w.admin.A.token, 'PATCH', `/admin/users/${ownerId}`, { email: 'juergen@example.test' });
    expect(fixed.status, JSON.stringify(fixed.body)).to.equal(200);

    const answers = await Promise.all([retry(w.admin.A.token, job.jobId), retry(w.admin.G.token, job.jobId)]);

    const statuses = answers.map((a) => a.status).sort();
    expect(statuses[0], JSON.stringify(answers.map((a) => a.body))).to.equal(202);
    expect([404, 409]).to.include(statuses[1]);
    const accepted = answers.find((a) => a.status === 202)!;
    expect(accepted.body.jobId).to.equal(job.jobId);
    expect(['waiting', 'active', 'completed']).to.include(accepted.body.state);
    const mails = await waitUntil(async () => {
      const found = await mailsFor(applicationName);
      return found.length > 0 && found;
    }, 'the email after the retry');
    expect(mails[0]).to.contain('juergen@example.test');
    await waitUntil(async () => !(await failedOf(w.admin.G.token)).some((j) => j.jobId === job.jobId), 'the job out of the failed list');
    expect(await mailsFor(applicationName)).to.have.length(1);

    const again = await retry(w.admin.A.token, job.jobId);
    expectProblem(again, 404);
    expect(again.body.detail).to.equal('No failed notification with this id.');
  });

  it('given a job that fails again after its retry, then it is back in the failed list and can be retried again', async () => {
    const { job } = await failedJobInA();
    expect((await retry(w.admin.A.token, job.jobId)).status).to.equal(202);
    const back = await waitUntil(async () => (await failedOf(w.admin.A.token)).find((j) => j.jobId === job.jobId), 'failed again');
    expect(back.error).to.match(/invalid email address/);
    expect((await retry(w.admin.G.token, job.jobId)).status).to.equal(202);
  });
});
