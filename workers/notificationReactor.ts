import { NOTIFIED_EVENT_TYPES, type NotifiedEventType } from '../src/domain/notification/notificationCatalog.js';
import { idFromStreamName, streamPrefixes } from '../src/domain/shared/streamNames.js';
import type { EventStore, RecordedEvent, Subscription } from '../src/eventStore/eventStore.js';
import type { CheckpointStore } from './checkpoint/checkpointStore.js';
import type { NotificationJobPayload } from './notificationJob.js';
import type { JobQueue } from './queue/jobQueue.js';
import { describeError, silentLogger, type WorkerLogger } from './workerLogger.js';

export const NOTIFICATION_CHECKPOINT = 'notification-reactor';

export interface NotificationReactorDeps {
  store: EventStore;
  queue: JobQueue<NotificationJobPayload>;
  checkpoints: CheckpointStore;
  log?: WorkerLogger;
  /** Wait before resubscribing after the store failed (default 1000 ms). */
  resubscribeDelayMs?: number;
  /** The checkpoint is written at most this often (default 200 ms), and on catch-up and stop. */
  checkpointIntervalMs?: number;
}

export interface NotificationReactor {
  /** Position of the last event enqueued (= the stored checkpoint). */
  readonly position: number;
  /** Resolves once the subscription has caught up with the store (the first time). */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

export function toJobPayload(event: RecordedEvent): NotificationJobPayload {
  const data = (event.data ?? {}) as { applicationId?: string; previousSecretValidUntil?: string | null };
  return {
    eventId: event.id,
    eventType: event.type as NotifiedEventType,
    applicationId: data.applicationId ?? idFromStreamName(event.streamName),
    revision: event.revision,
    occurredAt: event.metadata.occurredAt,
    ...(event.type === 'ApplicationSecretRotated' ? { previousSecretValidUntil: data.previousSecretValidUntil ?? null } : {}),
  };
}

/**
 * Subscribes from the stored checkpoint and enqueues one job per notified event, job id =
 * event id. The checkpoint moves only after the enqueue succeeded, so an event is never
 * skipped; an event seen twice (crash before the checkpoint was written, or a replay from 0)
 * is a no-op enqueue. That is also why the checkpoint may lag a little: it is written at most
 * every `checkpointIntervalMs` instead of one disk flush per event. If the store fails, the
 * reactor resubscribes from the last position it enqueued.
 */
export async function startNotificationReactor(deps: NotificationReactorDeps): Promise<NotificationReactor> {
  const log = deps.log ?? silentLogger;
  let position = (await deps.checkpoints.load(NOTIFICATION_CHECKPOINT)) ?? 0;
  let subscription: Subscription | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let stored = position;
  let checkpointTimer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const writeCheckpoint = (): Promise<void> => {
    if (checkpointTimer) clearTimeout(checkpointTimer);
    checkpointTimer = undefined;
    writing = writing.then(async () => {
      if (position === stored) return;
      const target = position;
      await deps.checkpoints.store(NOTIFICATION_CHECKPOINT, target);
      stored = target;
    }).catch((e: unknown) => log.warn({ err: describeError(e) }, 'notification checkpoint not written'));
    return writing;
  };
  const scheduleCheckpoint = (): void => {
    checkpointTimer ??= setTimeout(() => void writeCheckpoint(), deps.checkpointIntervalMs ?? 200);
  };
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));

  const subscribe = (): void => {
    subscription = deps.store.subscribeToAll({
      afterPosition: position,
      filter: { streamPrefixes: [streamPrefixes.application], eventTypes: [...NOTIFIED_EVENT_TYPES] },
      onEvent: async (event) => {
        const isNew = await deps.queue.enqueue(event.id, toJobPayload(event));
        position = event.position;
        scheduleCheckpoint();
        if (isNew) log.info({ eventId: event.id, type: event.type, position }, 'notification enqueued');
      },
      onCaughtUp: () => {
        void writeCheckpoint();
        markCaughtUp();
      },
      onError: (error) => {
        if (stopped) return;
        log.error({ err: describeError(error), position }, 'notification reactor stopped; resubscribing');
        retryTimer = setTimeout(() => !stopped && subscribe(), deps.resubscribeDelayMs ?? 1000);
      },
    });
  };
  subscribe();

  return {
    get position() {
      return position;
    },
    caughtUp,
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      await subscription?.stop();
      await writeCheckpoint();
    },
  };
}
