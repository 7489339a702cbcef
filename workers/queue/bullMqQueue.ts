import { Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import { describeError, silentLogger, type WorkerLogger } from '../workerLogger.js';
import {
  isPermanentError,
  queueDefaults,
  type FailedJob,
  type JobCounts,
  type JobOutcome,
  type JobProcessor,
  type JobQueue,
  type JobStatus,
  type QueueSettings,
  type RetryOutcome,
} from './jobQueue.js';

export interface BullMqQueueOptions extends QueueSettings {
  redisUrl: string;
  name: string;
  /** Key prefix in Redis (default `tollgate`). */
  prefix?: string;
  /** Completed jobs kept for inspection (default 1000); dedupe does not depend on it. */
  keepCompleted?: number;
  /**
   * BullMQ's stall recovery (defaults 30,000 ms each, BullMQ's own): a job's lock, renewed while
   * it runs, and how often a worker gives back active jobs whose lock has expired (their worker
   * died). Tests shorten them.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  log?: WorkerLogger;
}

const STALL_DEFAULT_MS = 30_000;

const PERMANENT = '[permanent] ';

/**
 * BullMQ on Redis. Idempotency: BullMQ ignores `add` for a job id it still holds (waiting,
 * active, delayed, completed, failed), but completed jobs are trimmed (`removeOnComplete`),
 * after which the same id would run again. So every finished job id is also recorded in a Redis
 * hash (`<prefix>:<name>:processed`, id → outcome, ~80 bytes per notification): `enqueue` skips ids in it and
 * the processor skips them too (a job re-run after a crash between send and completion).
 * Failed jobs are never trimmed (`removeOnFail: false`): they are the dead-letter list.
 *
 * A job whose worker died while running it (a crash, a SIGKILL) is given back by stall
 * recovery, up to `attempts` times: BullMQ's own limit (`maxStalledCount` 1) would fail for good
 * a job stalled twice, e.g. by two crashes a minute apart, and with it an owner's email. Running
 * it again is safe: the processed hash and the Message-ID make a repeat harmless.
 *
 * Connections use `maxRetriesPerRequest: null`: while Redis is down, commands wait for it to
 * come back instead of failing, so the reactor's enqueue blocks (and its checkpoint does not
 * move) rather than losing a job.
 */
export function createBullMqQueue<P>(options: BullMqQueueOptions): JobQueue<P> {
  const prefix = options.prefix ?? 'tollgate';
  const attempts = options.attempts ?? queueDefaults.attempts;
  const log = options.log ?? silentLogger;
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null, enableOfflineQueue: true };
  const queue = new Queue(options.name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts,
      backoff: { type: 'exponential', delay: options.backoffMs ?? queueDefaults.backoffMs },
      removeOnComplete: { count: options.keepCompleted ?? 1000 },
      removeOnFail: false,
    },
  });
  queue.on('error', (e) => log.warn({ err: describeError(e) }, 'notification queue: redis error'));
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', (e) => log.warn({ err: describeError(e) }, 'notification queue: redis error'));
  const processedKey = `${prefix}:${options.name}:processed`;
  let worker: Worker | undefined;

  const toFailed = (job: BullJob): FailedJob<P> => {
    const reason = job.failedReason ?? '';
    const permanent = reason.startsWith(PERMANENT);
    return {
      jobId: job.id!,
      payload: job.data as P,
      attempts: job.attemptsMade,
      error: permanent ? reason.slice(PERMANENT.length) : reason,
      permanent,
      failedAt: new Date(job.finishedOn ?? job.processedOn ?? job.timestamp).toISOString(),
    };
  };

  return {
    kind: 'bullmq',
    async enqueue(jobId, payload) {
      if ((await redis.hexists(processedKey, jobId)) === 1) return false;
      if (await queue.getJob(jobId)) return false;
      await queue.add('notification', payload, { jobId });
      return true;
    },
    async start(processor: JobProcessor<P>) {
      worker = new Worker(
        options.name,
        async (job: BullJob): Promise<JobOutcome> => {
          const id = job.id!;
          if ((await redis.hexists(processedKey, id)) === 1) return { status: 'skipped', detail: 'already processed' };
          let outcome: JobOutcome;
          try {
            outcome = await processor({ id, payload: job.data as P, attempt: job.attemptsMade + 1 });
          } catch (error) {
            if (isPermanentError(error)) throw new UnrecoverableError(PERMANENT + describeError(error));
            throw new Error(describeError(error));
          }
          await redis.hset(processedKey, id, JSON.stringify(outcome));
          return outcome;
        },
        {
          connection,
          prefix,
          concurrency: options.concurrency ?? queueDefaults.concurrency,
          lockDuration: options.lockDurationMs ?? STALL_DEFAULT_MS,
          stalledInterval: options.stalledIntervalMs ?? STALL_DEFAULT_MS,
          maxStalledCount: attempts,
        },
      );
      worker.on('error', (e) => log.warn({ err: describeError(e) }, 'notification worker: redis error'));
      worker.on('failed', (job, e) =>
        log.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: describeError(e) }, 'notification job failed'),
      );
      await worker.waitUntilReady();
    },
    async stop() {
      await worker?.close();
      await queue.close();
      redis.disconnect();
    },
    async failedJobs() {
      return (await queue.getFailed(0, -1)).map((j) => toFailed(j as BullJob));
    },
    async failedJob(jobId) {
      const job = (await queue.getJob(jobId)) as BullJob | undefined;
      return job && (await job.getState()) === 'failed' ? toFailed(job) : undefined;
    },
    async retry(jobId): Promise<RetryOutcome> {
      const job = (await queue.getJob(jobId)) as BullJob | undefined;
      if (!job) return (await redis.hexists(processedKey, jobId)) === 1 ? 'not-failed' : 'unknown';
      try {
        // BullMQ's script moves it from the failed set to waiting atomically, or refuses.
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return 'retried';
      } catch (error) {
        if ((await job.getState()) !== 'failed') return 'not-failed'; // retried meanwhile by another caller
        throw error;
      }
    },
    async counts(): Promise<JobCounts> {
      const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
      return {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
      };
    },
    async status(jobId): Promise<JobStatus | undefined> {
      const job = (await queue.getJob(jobId)) as BullJob | undefined;
      if (!job) {
        const finished = await redis.hget(processedKey, jobId);
        return finished === null ? undefined : { state: 'completed', outcome: JSON.parse(finished) as JobOutcome };
      }
      const state = await job.getState();
      if (state === 'completed') {
        // The job object may have been read just before it completed: the hash is written first.
        const finished = await redis.hget(processedKey, jobId);
        return { state, outcome: finished === null ? (job.returnvalue as JobOutcome) : (JSON.parse(finished) as JobOutcome) };
      }
      if (state === 'failed') return { state, error: toFailed(((await queue.getJob(jobId)) as BullJob | undefined) ?? job).error };
      if (state === 'active' || state === 'delayed') return { state };
      return { state: 'waiting' };
    },
  };
}
