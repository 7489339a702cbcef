import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointStore } from './checkpoint/checkpointStore.js';
import { createFileCheckpointStore } from './checkpoint/fileCheckpointStore.js';
import { createRedisCheckpointStore } from './checkpoint/redisCheckpointStore.js';
import type { Mailer } from './mail/mailer.js';
import { createOutboxMailer } from './mail/outboxMailer.js';
import { createSmtpMailer } from './mail/smtpMailer.js';
import type { NotificationJobPayload } from './notificationJob.js';
import { createBullMqQueue } from './queue/bullMqQueue.js';
import { createInlineQueue } from './queue/inlineQueue.js';
import type { JobQueue, QueueSettings } from './queue/jobQueue.js';
import type { WorkerLogger } from './workerLogger.js';

export interface WorkerAdaptersConfig {
  dataDir: string;
  redisUrl?: string;
  smtpUrl?: string;
  queue?: QueueSettings;
  log?: WorkerLogger;
}

/**
 * REDIS_URL → BullMQ queue and Redis checkpoint; otherwise the inline queue (journal in
 * DATA_DIR) and a checkpoint file. SMTP_URL → SMTP; otherwise `.eml` files in DATA_DIR/outbox.
 */
export function createWorkerAdapters(config: WorkerAdaptersConfig): {
  queue: JobQueue<NotificationJobPayload>;
  mailer: Mailer;
  checkpoints: CheckpointStore;
} {
  // With a server store (PostgreSQL, EventStoreDB) nothing else creates DATA_DIR.
  if (!config.redisUrl || !config.smtpUrl) mkdirSync(config.dataDir, { recursive: true });
  const queue = config.redisUrl
    ? createBullMqQueue<NotificationJobPayload>({ redisUrl: config.redisUrl, name: 'notifications', ...config.queue, log: config.log })
    : createInlineQueue<NotificationJobPayload>({ journalFile: join(config.dataDir, 'notification-queue.jsonl'), ...config.queue });
  const checkpoints = config.redisUrl
    ? createRedisCheckpointStore(config.redisUrl)
    : createFileCheckpointStore(join(config.dataDir, 'checkpoints'));
  const mailer = config.smtpUrl ? createSmtpMailer(config.smtpUrl) : createOutboxMailer(join(config.dataDir, 'outbox'));
  return { queue, mailer, checkpoints };
}
