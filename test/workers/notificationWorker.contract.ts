import { expect } from 'chai';
import { rmSync } from 'node:fs';
import type { JobStatus } from '../../workers/queue/jobQueue.js';
import { SECRET_HASH } from './notificationFixtures.js';
import { ISSUER, useWorkerWorld, type QueueKit, type WorkerWorld } from './workerWorld.js';
import { waitUntil } from './waitUntil.js';

const settledStatus = (w: WorkerWorld, jobId: string): Promise<JobStatus> =>
  waitUntil(async () => {
    const s = await w.status(jobId);
    return s && (s.state === 'completed' || s.state === 'failed') ? s : undefined;
  }, `job ${jobId} to settle`);

/** The notification worker suite: runs against every queue adapter. */
export function notificationWorkerContract(label: string, kit: () => QueueKit | undefined): void {
  describe(`notification worker: ${label}`, function () {
    this.timeout(60_000);
    const w = useWorkerWorld(kit);

    it('given an owner with an email, when an application is created, then one email arrives with subject, recipient and rendered body', async () => {
      const org = await w.given.organization('ACME Corp');
      const owner = await w.given.user({ organizationId: org, username: 'jdoe', email: 'jdoe@example.com' });
      const app = await w.given.application({ organizationId: org, ownerUserId: owner, name: 'Billing <sync>' });
      const [m] = await w.sink.waitFor(1);
      expect(m!.subject).to.equal('OAuth application added to your account');
      expect(m!.rcptTo).to.deep.equal(['jdoe@example.com']);
      expect(m!.messageId).to.equal(`<${app.eventId}@tollgate.example>`);
      expect(m!.text).to.include('Hello jdoe,').and.include(`Client ID: ${app.clientId}`).and.include('Organization: ACME Corp');
      expect(m!.text).to.include(`Link: ${ISSUER}/console/oauth-applications/${app.applicationId}`).and.include('Created: 2026-02-03T04:05:06.000Z');
      expect(m!.html).to.include('<b>Billing &lt;sync&gt;</b>');
      expect(m!.raw).to.not.include(SECRET_HASH);
      expect(await settledStatus(w, app.eventId)).to.deep.equal({ state: 'completed', outcome: { status: 'sent', detail: 'user_oauth_application_created to 1 recipient(s)' } });
      expect(w.sink.messages).to.have.length(1);
    });

    it('given owners in de_DE and fr_FR, when applications are created, then the de version and the en fallback are used', async () => {
      const org = await w.given.organization();
      const de = await w.given.user({ organizationId: org, email: 'de@example.com', locale: 'de_DE' });
      const fr = await w.given.user({ organizationId: org, email: 'fr@example.com', locale: 'fr_FR' });
      await w.given.application({ organizationId: org, ownerUserId: de });
      await w.given.application({ organizationId: org, ownerUserId: fr });
      const messages = await w.sink.waitFor(2);
      const to = (a: string) => messages.find((m) => m.rcptTo[0] === a)!;
      expect(to('de@example.com').subject).to.equal('OAuth-Anwendung zu Ihrem Konto hinzugefügt');
      expect(to('fr@example.com').subject).to.equal('OAuth application added to your account');
    });

    it('given a custom template and an application URL, when an application is created, then the custom template renders with that link', async () => {
      await w.given.template('user_oauth_application_created', 'de', {
        subject: '[{{organizationName}}] Neu: {{applicationName}}',
        html: '<a href="{{link}}">{{applicationName}}</a>',
        text: 'Für {{ownerName}} <{{ownerEmail}}>: {{clientId}} {{link}}',
      });
      const org = await w.given.organization('Muster GmbH');
      const owner = await w.given.user({ organizationId: org, username: 'erika', email: 'erika@example.de', locale: 'de_AT' });
      const app = await w.given.application({ organizationId: org, ownerUserId: owner, name: 'Lager', applicationUrl: 'https://lager.example.de' });
      const [m] = await w.sink.waitFor(1);
      expect(m!.subject).to.equal('[Muster GmbH] Neu: Lager');
      expect(m!.text).to.equal(`Für erika <erika@example.de>: ${app.clientId} https://lager.example.de`);
      expect(m!.html).to.equal('<a href="https://lager.example.de">Lager</a>');
    });

    it('given a storefront application, when it is created, then the customer_ template variant is used', async () => {
      await w.given.template('customer_user_oauth_application_created', 'en', { subject: 'Storefront app {{applicationName}}', html: '', text: 'x' });
      const org = await w.given.organization();
      const owner = await w.given.user({ organizationId: org, kind: 'customer', email: 'buyer@example.com' });
      await w.given.application({ organizationId: org, ownerUserId: owner, frontend: true, name: 'Shop' });
      const [m] = await w.sink.waitFor(1);
      expect(m!.subject).to.equal('Storefront app Shop');
    });

    it('given the rule is disabled, when an application is created, then no email is sent and the job is recorded as skipped', async () => {
      await w.given.rule('oauth-application-created', false);
      const org = await w.given.organization();
      const owner = await w.given.user({ organizationId: org });
      const app = await w.given.application({ organizationId: org, ownerUserId: owner });
      expect(await settledStatus(w, app.eventId)).to.deep.equal({
        state: 'completed',
        outcome: { status: 'skipped', detail: 'rule oauth-application-created disabled' },
      });
      expect(w.sink.messages).to.have.length(0);
    });

    it('given fixed addresses besides the owner, when an application is created, then owner and addresses receive it', async () => {
      await w.given.rule('oauth-application-created', true, { owner: true, addresses: ['security@example.com'] });
      const org = await w.given.organization();
      const owner = await w.given.user({ organizationId: org, email: 'jdoe@example.com' });
      await w.given.application({ organizationId: org, ownerUserId: owner });
      const [m] = await w.sink.waitFor(1);
      expect(m!.rcptTo).to.deep.equal(['jdoe@example.com', 'security@example.com']);
    });

    it('when the secret is rotated and the application deactivated, then the owner gets one email for each, never with the secret', async () => {
      const org = await w.given.organization();
      const owner = await w.given.user({ organizationId: org });
      const app = await w.given.application({ organizationId: org, ownerUserId: owner, name: 'Sync' });
      await w.given.secretRotated(app.applicationId, '2026-02-10T00:00:00.000Z');
      await w.given.deactivated(app.applicationId);
      const messages = await w.sink.waitFor(3);
      expect(messages.map((m) => m.subject).sort()).to.deep.equal([
        'OAuth application added to your account',
        'The secret of your OAuth application "Sync" was rotated',
        'Your OAuth application "Sync" was deactivated',
      ]);
      const rotated = messages.find((m) => m.subject.includes('rotated'))!;
      expect(rotated.text).to.include('The previous secret keeps working until 2026-02-10T00:00:00.000Z.');
      for (const m of messages) expect(m.raw).to.not.include('SECRET-HASH');
    });

    it('given all emails were sent, when the checkpoint is reset and every event replayed, then nothing new is sent', async () => {
      const org = await w.given.organization();
      const owner = await w.given.user({ organizationId: org });
      for (let i = 0; i < 3; i++) await w.given.application({ organizationId: org, ownerUserId: owner, name: `App ${i}` });
      await w.sink.waitFor(3);
      await w.worker.stop();
      rmSync(w.dir.file('checkpoints'), { recursive: true, force: true });
      const again = await w.startWorker();
      await again.reactor!.caughtUp;
      await waitUntil(async () => again.reactor!.position === (await w.store.headPosition()), 'the replay to reach the head');
      const c = await again.queue.counts();
      expect(c.waiting + c.active + c.delayed).to.equal(0);
      expect(w.sink.messages).to.have.length(3);
    });

    it('given the worker was stopped, when applications are created meanwhile and it restarts, then it resumes from its checkpoint', async () => {
      const org = await w.given.organization();
      const owner = await w.given.user({ organizationId: org });
      await w.given.application({ organizationId: org, ownerUserId: owner, name: 'first' });
      await w.sink.waitFor(1);
      await w.worker.stop();
      await w.given.application({ organizationId: org, ownerUserId: owner, name: 'while stopped' });
      await w.startWorker();
      const messages = await w.sink.waitFor(2);
      expect(messages.map((m) => m.text.includes('"while stopped"'))).to.deep.equal([false, true]);
    });

    it('given the SMTP server refuses the first two attempts with 451, when an application is created, then it is delivered exactly once', async () => {
      w.sink.rejectNext(2, 451);
      const org = await w.given.organization();
      const owner = await w.given.user({ organizationId: org });
      const app = await w.given.application({ organizationId: org, ownerUserId: owner });
      await w.sink.waitFor(1);
      expect((await settledStatus(w, app.eventId)).state).to.equal('completed');
      expect(w.sink.rejected).to.equal(2);
      expect(w.sink.messages).to.have.length(1);
      expect(await w.worker.queue.failedJobs()).to.deep.equal([]);
    });

    it('given an owner without an email address, when an application is created, then a permanent failed job is visible and later emails still go out', async () => {
      const org = await w.given.organization();
      const noEmail = await w.given.user({ organizationId: org, username: 'ghost', email: '' });
      const badEmail = await w.given.user({ organizationId: org, username: 'typo', email: 'typo@@example' });
      const ok = await w.given.user({ organizationId: org, email: 'ok@example.com' });
      const a = await w.given.application({ organizationId: org, ownerUserId: noEmail });
      const b = await w.given.application({ organizationId: org, ownerUserId: badEmail });
      await w.given.application({ organizationId: org, ownerUserId: ok });
      await w.sink.waitFor(1);
      const failed = await waitUntil(async () => {
        const f = await w.worker.queue.failedJobs();
        return f.length === 2 ? f : undefined;
      }, 'two failed jobs');
      const byId = new Map(failed.map((f) => [f.jobId, f]));
      expect(byId.get(a.eventId)).to.include({ permanent: true, attempts: 1, error: 'Owner ghost has no email address' });
      expect(byId.get(b.eventId)).to.include({ permanent: true, error: 'Owner typo has an invalid email address' });
      expect(byId.get(a.eventId)!.payload).to.include({ eventType: 'ApplicationCreated', applicationId: a.applicationId });
      expect(w.sink.messages.map((m) => m.rcptTo[0])).to.deep.equal(['ok@example.com']);
    });

    it('given an application without an owner and a rule without addresses, when created, then it is skipped with the reason', async () => {
      const org = await w.given.organization();
      const app = await w.given.application({ organizationId: org, ownerUserId: null });
      expect(await settledStatus(w, app.eventId)).to.deep.equal({
        state: 'completed',
        outcome: { status: 'skipped', detail: 'application has no owner and the rule no addresses' },
      });
    });
  });
}
