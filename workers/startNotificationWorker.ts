import type { EventStore } from '../src/eventStore/eventStore.js';
import type { CheckpointStore } from './checkpoint/checkpointStore.js';
import type { Mailer } from './mail/mailer.js';
import { createNotificationProcessor, type NotificationJobPayload } from './notificationJob.js';
import { startNotificationReactor, type NotificationReactor } from './notificationReactor.js';
import type { JobQueue } from './queue/jobQueue.js';
import { silentLogger, type WorkerLogger } from './workerLogger.js';

export interface NotificationWorkerDeps {
  store: EventStore;
  queue: JobQueue<NotificationJobPayload>;
  mailer: Mailer;
  checkpoints: CheckpointStore;
  mailFrom: string;
  issuer: string;
  log?: WorkerLogger;
  /** false: only process jobs (another node runs the reactor). Default true. */
  runReactor?: boolean;
}

export interface NotificationWorker {
  readonly queue: JobQueue<NotificationJobPayload>;
  readonly reactor?: NotificationReactor;
  /** Stops the reactor and the queue; closes the mailer and checkpoints (not the store). Idempotent. */
  stop(): Promise<void>;
}

/** The notification worker, in the server process or in `npm run worker`: same code. */
export async function startNotificationWorker(deps: NotificationWorkerDeps): Promise<NotificationWorker> {
  const log = deps.log ?? silentLogger;
  await deps.queue.start(
    createNotificationProcessor({ store: deps.store, mailer: deps.mailer, mailFrom: deps.mailFrom, issuer: deps.issuer }),
  );
  const reactor =
    deps.runReactor === false
      ? undefined
      : await startNotificationReactor({ store: deps.store, queue: deps.queue, checkpoints: deps.checkpoints, log });
  log.info({ queue: deps.queue.kind, mailer: deps.mailer.kind }, 'notification worker started');
  let stopping: Promise<void> | undefined;
  return {
    queue: deps.queue,
    reactor,
    stop() {
      stopping ??= (async () => {
        await reactor?.stop();
        await deps.queue.stop();
        await deps.mailer.close();
        await deps.checkpoints.close();
      })();
      return stopping;
    },
  };
}
