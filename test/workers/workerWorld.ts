import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createFileCheckpointStore } from '../../workers/checkpoint/fileCheckpointStore.js';
import { createSmtpMailer } from '../../workers/mail/smtpMailer.js';
import type { NotificationJobPayload } from '../../workers/notificationJob.js';
import type { JobQueue, JobStatus } from '../../workers/queue/jobQueue.js';
import { startNotificationWorker, type NotificationWorker } from '../../workers/startNotificationWorker.js';
import { startSmtpSink, type SmtpSink } from '../support/smtpSink.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { givenEvents } from './notificationFixtures.js';

export const ISSUER = 'https://tollgate.example';

export interface QueueKit {
  /** A queue over this test's state: a second call sees the jobs of the first (a restart). */
  open(dir: TempDir): JobQueue<NotificationJobPayload>;
}

export interface WorkerWorld {
  dir: TempDir;
  store: SqliteEventStore;
  sink: SmtpSink;
  given: ReturnType<typeof givenEvents>;
  worker: NotificationWorker;
  startWorker(): Promise<NotificationWorker>;
  status(jobId: string): Promise<JobStatus | undefined>;
}

/** Sets up store + SMTP sink + worker per test; `kit()` is read in beforeEach (after `before` hooks). */
export function useWorkerWorld(kit: () => QueueKit | undefined): WorkerWorld {
  const world = {} as WorkerWorld;
  beforeEach(async function () {
    const k = kit();
    if (!k) return this.skip();
    world.dir = await createTempDir('tollgate-notify-');
    world.store = createSqliteEventStore({ file: world.dir.file('events.sqlite') });
    world.sink = await startSmtpSink();
    world.given = givenEvents(world.store);
    world.startWorker = async () =>
      (world.worker = await startNotificationWorker({
        store: world.store,
        queue: k.open(world.dir),
        mailer: createSmtpMailer(world.sink.url),
        checkpoints: createFileCheckpointStore(world.dir.file('checkpoints')),
        mailFrom: 'Tollgate <no-reply@tollgate.example>',
        issuer: ISSUER,
      }));
    world.status = (jobId) => world.worker.queue.status(jobId);
    await world.startWorker();
  });
  afterEach(async () => {
    await world.worker?.stop();
    await world.store?.close();
    await world.sink?.close();
    await world.dir?.remove();
  });
  return world;
}

