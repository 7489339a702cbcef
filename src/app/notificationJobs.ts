import { canViewApplication } from '../authorization/applicationPolicy.js';
import { canReadNotificationSettings, canRetryNotifications } from '../authorization/organizationPolicy.js';
import type { Principal } from '../authorization/principal.js';
import { writeRefusal } from '../authorization/readOnlyAccess.js';
import { loadApplication } from '../commands/lookups.js';
import { DomainError } from '../domain/shared/domainError.js';
import type { EventStore } from '../eventStore/eventStore.js';
import type { Logger } from '../logging/logger.js';
import { HttpProblem } from '../http/problem.js';
import { withinTime } from '../http/withinTime.js';
import type { NotificationJobPayload } from '../../workers/notificationJob.js';
import type { FailedJob, JobCounts, JobQueue, JobStatus } from '../../workers/queue/jobQueue.js';

export type FailedNotification = FailedJob<Partial<NotificationJobPayload>>;

/**
 * The failed (dead-letter) notification jobs, as the admin API (`/admin/notification-jobs`) and
 * the console (`/console/notification-jobs`) list and retry them: one rule for both.
 */
export interface NotificationJobs {
  readonly queueKind: JobQueue<unknown>['kind'];
  /** The queue's counts, over every organization (callers with global access only). */
  counts(): Promise<JobCounts>;
  /** The failed jobs the caller may see, with their application's name. */
  failed(principal: Principal): Promise<Array<FailedNotification & { applicationName: string | null }>>;
  /**
   * Puts one failed job back to run, with its attempts afresh, and says where it now stands.
   * Throws FORBIDDEN (not an administrator, or an auditor), NOT_FOUND (no failed job of that id
   * that the caller may see: nothing tells another organization's job from none) or CONFLICT
   * (no longer failed: someone retried it meanwhile).
   */
  retry(principal: Principal, jobId: string): Promise<{ job: FailedNotification; status: JobStatus | undefined }>;
}

/** Job ids are event ids: anything else names no job. */
const JOB_ID = /^[A-Za-z0-9_-]{1,100}$/;

export const NOT_A_FAILED_JOB = 'No failed notification with this id.';
export const QUEUE_UNREACHABLE = 'The notification queue is unreachable right now; nothing was changed. Try again later.';
/** A retry sent to a queue that did not answer still reaches it when it is back. */
export const RETRY_UNANSWERED = 'The notification queue did not answer in time; the retry takes effect if it reaches the queue when it is back. Reload the list later to see.';
/** BullMQ waits for Redis to come back rather than fail: these reads and the retry answer 503 meanwhile. */
const QUEUE_WAIT_MS = 5_000;
export const NO_LONGER_FAILED = 'This notification is no longer failed: someone retried it meanwhile.';

interface Verdict {
  allowed: boolean;
  /** The application's name (of its last event, deleted ones included); null when unknown. */
  applicationName: string | null;
}

/** Whether the caller may see a job: by its application, folded from its stream (deleted ones included). */
async function jobVerdict(store: EventStore, principal: Principal, verdicts: Map<string, Verdict>, job: FailedNotification): Promise<Verdict> {
  const applicationId = job.payload?.applicationId;
  if (typeof applicationId !== 'string') return { allowed: principal.globalAccess, applicationName: null };
  let verdict = verdicts.get(applicationId);
  if (verdict === undefined) {
    const { state } = await loadApplication(store, applicationId);
    verdict = state.status === 'Empty'
      ? { allowed: principal.globalAccess, applicationName: null }
      : { allowed: canViewApplication(principal, state), applicationName: state.name };
    verdicts.set(applicationId, verdict);
  }
  return verdict;
}

export function createNotificationJobs(deps: { store: EventStore; queue: JobQueue<unknown>; logger?: Logger; queueWaitMs?: number }): NotificationJobs {
  const queue = deps.queue as JobQueue<Partial<NotificationJobPayload>>;
  const waitMs = deps.queueWaitMs ?? QUEUE_WAIT_MS;
  const bounded = <T>(work: Promise<T>, message = QUEUE_UNREACHABLE): Promise<T> =>
    withinTime(work, waitMs, () => {
      throw new HttpProblem(503, message, undefined, { 'Retry-After': '5' });
    });
  const requireReader = (principal: Principal) => {
    if (!canReadNotificationSettings(principal)) throw new DomainError('FORBIDDEN', 'Administrators only.');
  };
  return {
    queueKind: queue.kind,
    counts: () => bounded(queue.counts()),
    async failed(principal) {
      requireReader(principal);
      const verdicts = new Map<string, Verdict>();
      const out: Array<FailedNotification & { applicationName: string | null }> = [];
      for (const job of await bounded(queue.failedJobs())) {
        const { allowed, applicationName } = await jobVerdict(deps.store, principal, verdicts, job);
        if (allowed) out.push({ ...job, applicationName });
      }
      return out;
    },
    async retry(principal, jobId) {
      requireReader(principal);
      const refusal = writeRefusal(principal);
      if (refusal !== undefined) throw new DomainError('FORBIDDEN', refusal);
      if (!canRetryNotifications(principal)) throw new DomainError('FORBIDDEN', 'Administrators only.');
      const job = JOB_ID.test(jobId) ? await bounded(queue.failedJob(jobId)) : undefined;
      if (!job || !(await jobVerdict(deps.store, principal, new Map(), job)).allowed) throw new DomainError('NOT_FOUND', NOT_A_FAILED_JOB);
      const who = { jobId, applicationId: job.payload?.applicationId, by: principal.userId, via: principal.via };
      // Logged before it is sent: a retry the queue takes only once it is back is on record too.
      deps.logger?.info(who, 'failed notification retry requested');
      const outcome = await bounded(queue.retry(jobId), RETRY_UNANSWERED);
      if (outcome === 'unknown') throw new DomainError('NOT_FOUND', NOT_A_FAILED_JOB);
      if (outcome === 'not-failed') throw new DomainError('CONFLICT', NO_LONGER_FAILED);
      deps.logger?.info(who, 'failed notification retried');
      return { job, status: await withinTime(queue.status(jobId), waitMs, () => undefined) };
    },
  };
}
