import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { startNotificationWorker } from '../../workers/startNotificationWorker.js';
import { createWorkerAdapters } from '../../workers/workerEnvironment.js';
import { parseEmail } from '../support/smtpSink.js';
import { createTempDir } from '../support/tempDir.js';
import { givenEvents } from './notificationFixtures.js';
import { waitUntil } from './waitUntil.js';

describe('worker on the embedded defaults (no REDIS_URL, no SMTP_URL)', () => {
  it('given only DATA_DIR, when an application is created, then the inline queue writes its email to DATA_DIR/outbox', async () => {
    const dir = await createTempDir('tollgate-embedded-');
    const store = createSqliteEventStore({ file: dir.file('events.sqlite') });
    const adapters = createWorkerAdapters({ dataDir: dir.path });
    expect([adapters.queue.kind, adapters.mailer.kind]).to.deep.equal(['inline', 'outbox']);
    const worker = await startNotificationWorker({ store, ...adapters, mailFrom: 'no-reply@tollgate.example', issuer: 'http://localhost:8080' });
    try {
      const given = givenEvents(store);
      const org = await given.organization();
      const owner = await given.user({ organizationId: org, email: 'owner@example.com' });
      const app = await given.application({ organizationId: org, ownerUserId: owner });
      const files = await waitUntil(() => {
        const f = readdirSync(dir.file('outbox')).filter((n) => n.endsWith('.eml'));
        return f.length > 0 ? f : undefined;
      }, 'an .eml file');
      expect(files[0]).to.match(new RegExp(`^\\d{8}T\\d{9}Z-${app.eventId}\\.eml$`));
      const m = parseEmail(readFileSync(dir.file(`outbox/${files[0]}`), 'utf8'));
      expect(m.to).to.deep.equal(['owner@example.com']);
      expect(m.subject).to.equal('OAuth application added to your account');
      await worker.stop(); // the checkpoint is written at the latest on stop
      expect(readdirSync(dir.file('checkpoints'))).to.deep.equal(['notification-reactor.json']);
    } finally {
      await worker.stop();
      await store.close();
      await dir.remove();
    }
  });

  it('given a DATA_DIR that does not exist yet (a server store creates none), then it is created for the journal and outbox', async () => {
    const dir = await createTempDir('tollgate-embedded-');
    try {
      const adapters = createWorkerAdapters({ dataDir: dir.file('var/nested') });
      await adapters.queue.stop();
      await adapters.checkpoints.close();
      expect(readdirSync(dir.file('var/nested'))).to.include('notification-queue.jsonl');
    } finally {
      await dir.remove();
    }
  });
});
