import { describeError } from '../workerLogger.js';
import { InlineJournal, replayJournal, type JournalState } from './inlineJournal.js';
import {
  isPermanentError,
  queueDefaults,
  retryDelay,
  type FailedJob,
  type JobCounts,
  type JobOutcome,
  type JobProcessor,
  type JobQueue,
  type JobStatus,
  type QueueSettings,
  type RetryOutcome,
} from './jobQueue.js';

export interface InlineQueueOptions extends QueueSettings {
  /**
   * A journal file (DATA_DIR/notification-queue.jsonl): pending jobs and the ids of finished
   * ones survive a restart. Without it the queue lives in memory only (tests, benchmarks).
   */
  journalFile?: string;
  clock?: () => Date;
}

interface Entry<P> {
  payload: P;
  state: 'waiting' | 'active' | 'delayed';
  attempt: number;
}

/** The in-process queue (the default without REDIS_URL), with BullMQ's semantics. */
export function createInlineQueue<P>(options: InlineQueueOptions = {}): JobQueue<P> {
  const attempts = options.attempts ?? queueDefaults.attempts;
  const backoffMs = options.backoffMs ?? queueDefaults.backoffMs;
  const concurrency = options.concurrency ?? queueDefaults.concurrency;
  const clock = options.clock ?? (() => new Date());
  const restored: JournalState<P> = options.journalFile
    ? replayJournal<P>(options.journalFile)
    : { pending: new Map(), completed: new Map(), failed: new Map() };
  const journal = options.journalFile ? new InlineJournal<P>(options.journalFile, restored) : undefined;

  const live = new Map<string, Entry<P>>();
  const waiting: string[] = [];
  const completed: Map<string, JobOutcome> = restored.completed;
  const failed: Map<string, FailedJob<P>> = restored.failed;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let processor: JobProcessor<P> | undefined;
  let stopped = false;

  for (const [id, payload] of restored.pending) {
    live.set(id, { payload, state: 'waiting', attempt: 0 });
    waiting.push(id);
  }

  const pump = (): void => {
    while (processor && !stopped && running.size < concurrency && waiting.length > 0) {
      const id = waiting.shift()!;
      const run = execute(id, processor).finally(() => {
        running.delete(run);
        pump();
      });
      running.add(run);
    }
  };

  async function execute(id: string, process: JobProcessor<P>): Promise<void> {
    const entry = live.get(id)!;
    entry.state = 'active';
    entry.attempt += 1;
    let outcome: JobOutcome;
    try {
      outcome = await process({ id, payload: entry.payload, attempt: entry.attempt });
    } catch (error) {
      await settleFailure(id, entry, error);
      return;
    }
    live.delete(id);
    completed.set(id, outcome);
    // Never retry a sent email because the journal failed: at worst it is re-sent after a restart.
    await journal?.append({ e: 'completed', id, outcome }).catch(() => {});
  }

  async function settleFailure(id: string, entry: Entry<P>, error: unknown): Promise<void> {
    const permanent = isPermanentError(error);
    if (!permanent && entry.attempt < attempts) {
      if (stopped) return; // stays pending in the journal; runs again after a restart
      entry.state = 'delayed';
      const timer = setTimeout(() => {
        timers.delete(timer);
        entry.state = 'waiting';
        waiting.push(id);
        pump();
      }, retryDelay(backoffMs, entry.attempt));
      timers.add(timer);
      return;
    }
    const job: FailedJob<P> = {
      jobId: id,
      payload: entry.payload,
      attempts: entry.attempt,
      error: describeError(error),
      permanent,
      failedAt: clock().toISOString(),
    };
    live.delete(id);
    failed.set(id, job);
    await journal?.append({ e: 'failed', job }).catch(() => {});
  }

  return {
    kind: 'inline',
    async enqueue(jobId, payload) {
      if (live.has(jobId) || completed.has(jobId) || failed.has(jobId)) return false;
      live.set(jobId, { payload, state: 'waiting', attempt: 0 });
      try {
        await journal?.append({ e: 'enqueued', id: jobId, payload });
      } catch (e) {
        live.delete(jobId);
        throw e;
      }
      waiting.push(jobId);
      pump();
      return true;
    },
    async start(p) {
      processor = p;
      pump();
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
      await journal?.close();
    },
    async failedJobs() {
      return [...failed.values()];
    },
    async failedJob(jobId) {
      return failed.get(jobId);
    },
    async retry(jobId): Promise<RetryOutcome> {
      const job = failed.get(jobId);
      if (!job) return live.has(jobId) || completed.has(jobId) ? 'not-failed' : 'unknown';
      // Taken out of the failed list before the journal write, so a second caller meanwhile
      // finds it no longer failed; put back if the write fails (nothing changed then).
      failed.delete(jobId);
      live.set(jobId, { payload: job.payload, state: 'waiting', attempt: 0 });
      try {
        await journal?.append({ e: 'retried', id: jobId, payload: job.payload });
      } catch (e) {
        live.delete(jobId);
        failed.set(jobId, job);
        throw e;
      }
      waiting.push(jobId);
      pump();
      return 'retried';
    },
    async counts(): Promise<JobCounts> {
      const c: JobCounts = { waiting: 0, active: 0, delayed: 0, completed: completed.size, failed: failed.size };
      for (const e of live.values()) c[e.state] += 1;
      return c;
    },
    async status(jobId): Promise<JobStatus | undefined> {
      const entry = live.get(jobId);
      if (entry) return { state: entry.state };
      const outcome = completed.get(jobId);
      if (outcome) return { state: 'completed', outcome };
      const f = failed.get(jobId);
      return f ? { state: 'failed', error: f.error } : undefined;
    },
  };
}
