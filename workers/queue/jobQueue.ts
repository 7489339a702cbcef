/**
 * The job queue port (BullMQ on Redis, or inline in-process). Both adapters pass
 * test/workers/jobQueue.contract.ts.
 *
 * - `enqueue` is idempotent by job id: a second enqueue of an id is a no-op, whether the
 *   first is waiting, running, completed or failed. Job id = event id, so a replayed event
 *   never runs twice.
 * - A processor that throws is retried with exponential backoff (`backoffMs * 2^(n-1)`)
 *   until `attempts` are used; an error with `permanent: true` skips the retries. Either way
 *   the job ends in the failed (dead-letter) list, kept for inspection.
 * - `retry` puts a failed job back to run, with its attempts afresh: once, however many callers
 *   ask at the same time (the others learn it is no longer failed).
 */
export interface Job<P> {
  id: string;
  payload: P;
  /** 1 on the first try. */
  attempt: number;
}

export interface JobOutcome {
  status: 'sent' | 'skipped';
  detail?: string;
}

export type JobProcessor<P> = (job: Job<P>) => Promise<JobOutcome>;

export interface FailedJob<P> {
  jobId: string;
  payload: P;
  attempts: number;
  error: string;
  /** true: failed at once (permanent error); false: retries exhausted. */
  permanent: boolean;
  failedAt: string;
}

export interface JobCounts {
  waiting: number;
  active: number;
  /** Waiting for a retry (backoff). */
  delayed: number;
  completed: number;
  failed: number;
}

export type JobStatus =
  | { state: 'waiting' | 'active' | 'delayed' }
  | { state: 'completed'; outcome: JobOutcome }
  | { state: 'failed'; error: string };

/** What `retry` did: `retried` (waiting again), `not-failed` (known, but not in the failed list), `unknown`. */
export type RetryOutcome = 'retried' | 'not-failed' | 'unknown';

export interface QueueSettings {
  /** Tries per job, first included (default 5). */
  attempts?: number;
  /** First retry delay; doubles each retry (default 1000 ms). */
  backoffMs?: number;
  /** Jobs processed at once (default 4). */
  concurrency?: number;
}

export interface JobQueue<P> {
  readonly kind: 'bullmq' | 'inline';
  /** true when the job was new; false when the id was already known (no-op). */
  enqueue(jobId: string, payload: P): Promise<boolean>;
  start(processor: JobProcessor<P>): Promise<void>;
  /** Stops taking jobs, waits for running ones, releases connections. */
  stop(): Promise<void>;
  failedJobs(): Promise<FailedJob<P>[]>;
  /** One job of the failed list; undefined when it is not there. */
  failedJob(jobId: string): Promise<FailedJob<P> | undefined>;
  retry(jobId: string): Promise<RetryOutcome>;
  counts(): Promise<JobCounts>;
  /** Where one job stands; undefined when unknown (or long gone from the completed list). */
  status(jobId: string): Promise<JobStatus | undefined>;
}

export const isPermanentError = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { permanent?: unknown }).permanent === true;

export const retryDelay = (backoffMs: number, attempt: number): number => backoffMs * 2 ** (attempt - 1);

export const queueDefaults = { attempts: 5, backoffMs: 1000, concurrency: 4 } as const;
