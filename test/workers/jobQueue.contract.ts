import { expect } from 'chai';
import type { Job, JobOutcome, JobQueue, QueueSettings } from '../../workers/queue/jobQueue.js';
import { waitUntil } from './waitUntil.js';

export type QueueFactory = (settings: Required<QueueSettings>) => Promise<JobQueue<{ n: number }>>;

const settled = async (q: JobQueue<unknown>): Promise<boolean> => {
  const c = await q.counts();
  return c.waiting + c.active + c.delayed === 0;
};

class Transient extends Error {}
class Permanent extends Error {
  readonly permanent = true;
}

/** The job queue contract: every adapter passes it. */
export function jobQueueContract(label: string, makeQueue: () => QueueFactory | undefined): void {
  describe(`job queue contract: ${label}`, function () {
    let queue: JobQueue<{ n: number }> | undefined;
    const open = async (s: Partial<QueueSettings> = {}): Promise<JobQueue<{ n: number }>> => {
      const factory = makeQueue();
      if (!factory) throw new Error('factory unavailable');
      queue = await factory({ attempts: 3, backoffMs: 20, concurrency: 2, ...s });
      return queue;
    };
    afterEach(async () => {
      await queue?.stop();
      queue = undefined;
    });

    it('given a job, when started, then the processor runs it once with its payload and the outcome is recorded', async () => {
      const q = await open();
      const seen: Job<{ n: number }>[] = [];
      await q.start(async (job) => (seen.push(job), { status: 'sent', detail: 'ok' }));
      expect(await q.enqueue('job-1', { n: 1 })).to.equal(true);
      const status = await waitUntil(async () => (await q.status('job-1'))?.state === 'completed' && q.status('job-1'), 'completion');
      expect(status).to.deep.equal({ state: 'completed', outcome: { status: 'sent', detail: 'ok' } });
      expect(seen.map((j) => [j.id, j.payload, j.attempt])).to.deep.equal([['job-1', { n: 1 }, 1]]);
    });

    it('given a job id already enqueued or completed, when enqueued again, then nothing runs again', async () => {
      const q = await open();
      let runs = 0;
      await q.start(async () => (runs++, { status: 'sent' }));
      await q.enqueue('dup', { n: 1 });
      expect(await q.enqueue('dup', { n: 2 })).to.equal(false);
      await waitUntil(async () => (await q.status('dup'))?.state === 'completed', 'completion');
      expect(await q.enqueue('dup', { n: 3 })).to.equal(false);
      await waitUntil(() => settled(q), 'settled');
      expect(runs).to.equal(1);
    });

    it('given jobs enqueued before start, when started, then they run', async () => {
      const q = await open();
      await q.enqueue('early-1', { n: 1 });
      await q.enqueue('early-2', { n: 2 });
      const ran: number[] = [];
      await q.start(async (job) => (ran.push(job.payload.n), { status: 'sent' }));
      await waitUntil(() => ran.length === 2, 'both jobs');
      expect(ran.sort()).to.deep.equal([1, 2]);
    });

    it('given a processor failing twice transiently, when retried with backoff, then the third attempt completes', async () => {
      const q = await open({ attempts: 3 });
      const attempts: number[] = [];
      await q.start(async (job) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Transient('4xx later');
        return { status: 'sent' };
      });
      await q.enqueue('flaky', { n: 1 });
      await waitUntil(async () => (await q.status('flaky'))?.state === 'completed', 'completion');
      expect(attempts).to.deep.equal([1, 2, 3]);
      expect(await q.failedJobs()).to.deep.equal([]);
    });

    it('given a processor that always fails transiently, when attempts run out, then the job is in the failed list', async () => {
      const q = await open({ attempts: 3 });
      let runs = 0;
      await q.start(async () => {
        runs++;
        throw new Transient('connection refused');
      });
      await q.enqueue('doomed', { n: 7 });
      const failed = await waitUntil(async () => (await q.failedJobs()).find((f) => f.jobId === 'doomed'), 'failed job');
      expect(failed).to.include({ jobId: 'doomed', attempts: 3, permanent: false, error: 'connection refused' });
      expect(failed.payload).to.deep.equal({ n: 7 });
      expect(runs).to.equal(3);
      expect((await q.counts()).failed).to.equal(1);
      expect(await q.enqueue('doomed', { n: 7 }), 'a failed id stays known').to.equal(false);
    });

    it('given a permanent error, when processed, then the job fails at once without retries', async () => {
      const q = await open({ attempts: 5 });
      let runs = 0;
      await q.start(async () => {
        runs++;
        throw new Permanent('no email address');
      });
      await q.enqueue('perm', { n: 1 });
      const failed = await waitUntil(async () => (await q.failedJobs())[0], 'failed job');
      expect(failed).to.include({ jobId: 'perm', attempts: 1, permanent: true, error: 'no email address' });
      expect(runs).to.equal(1);
    });

    it('given a job that failed for good, when retried, then it runs again from its first attempt, leaves the failed list and completes', async () => {
      const q = await open({ attempts: 2 });
      const seen: Array<[string, number]> = [];
      let healed = false;
      await q.start(async (job) => {
        seen.push([job.id, job.attempt]);
        if (!healed) throw new Transient('451 try later');
        return { status: 'sent', detail: 'second life' };
      });
      await q.enqueue('revived', { n: 4 });
      await waitUntil(async () => (await q.failedJob('revived')) ?? false, 'failed job');
      expect(await q.failedJob('revived')).to.include({ jobId: 'revived', attempts: 2, permanent: false });
      healed = true;

      expect(await q.retry('revived')).to.equal('retried');

      const status = await waitUntil(async () => (await q.status('revived'))?.state === 'completed' && q.status('revived'), 'completion');
      expect(status).to.deep.equal({ state: 'completed', outcome: { status: 'sent', detail: 'second life' } });
      expect(seen).to.deep.equal([['revived', 1], ['revived', 2], ['revived', 1]]);
      expect(await q.failedJob('revived')).to.equal(undefined);
      expect(await q.failedJobs()).to.deep.equal([]);
      expect((await q.counts()).failed).to.equal(0);
      expect(await q.enqueue('revived', { n: 4 }), 'still known after its retry').to.equal(false);
    });

    it('given a retried job failing again, when its attempts run out, then it is back in the failed list with all its attempts used', async () => {
      const q = await open({ attempts: 2 });
      let runs = 0;
      await q.start(async () => {
        runs++;
        throw new Transient('connection refused');
      });
      await q.enqueue('twice', { n: 1 });
      await waitUntil(async () => (await q.failedJob('twice')) ?? false, 'failed job');
      expect(await q.retry('twice')).to.equal('retried');
      await waitUntil(async () => runs === 4 && ((await q.failedJob('twice')) ?? false), 'failed again');
      expect(await q.failedJob('twice')).to.include({ jobId: 'twice', attempts: 2, error: 'connection refused' });
    });

    it('given a failed job, when several callers retry it at once, then one retries it, the others find it no longer failed, and it runs once', async () => {
      const q = await open({ attempts: 1 });
      let runs = 0;
      let healed = false;
      await q.start(async () => {
        runs++;
        if (!healed) throw new Permanent('550 no such mailbox');
        return { status: 'sent' };
      });
      await q.enqueue('raced', { n: 1 });
      await waitUntil(async () => (await q.failedJob('raced')) ?? false, 'failed job');
      healed = true;

      const outcomes = await Promise.all([q.retry('raced'), q.retry('raced'), q.retry('raced')]);

      expect(outcomes.filter((o) => o === 'retried')).to.have.length(1);
      expect(outcomes.filter((o) => o === 'not-failed')).to.have.length(2);
      await waitUntil(async () => (await q.status('raced'))?.state === 'completed', 'completion');
      await waitUntil(() => settled(q), 'settled');
      expect(runs).to.equal(2);
    });

    it('given a completed job and an unknown id, when retried, then nothing runs and each says why', async () => {
      const q = await open();
      let runs = 0;
      await q.start(async () => (runs++, { status: 'sent' }));
      await q.enqueue('fine', { n: 1 });
      await waitUntil(async () => (await q.status('fine'))?.state === 'completed', 'completion');

      expect(await q.retry('fine')).to.equal('not-failed');
      expect(await q.retry('never-enqueued')).to.equal('unknown');
      expect(await q.failedJob('fine')).to.equal(undefined);
      expect(await q.failedJob('never-enqueued')).to.equal(undefined);
      await waitUntil(() => settled(q), 'settled');
      expect(runs).to.equal(1);
    });

    it('given concurrency 2, when 5 slow jobs run, then at most 2 run at a time and all finish', async () => {
      const q = await open({ concurrency: 2 });
      let running = 0;
      let peak = 0;
      let done = 0;
      const release: (() => void)[] = [];
      await q.start(async (): Promise<JobOutcome> => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => release.push(r));
        running--;
        done++;
        return { status: 'skipped', detail: 'test' };
      });
      for (let n = 0; n < 5; n++) await q.enqueue(`c-${n}`, { n });
      while (done < 5) {
        await waitUntil(() => release.length > 0 || done === 5, 'a running job');
        release.shift()?.();
      }
      expect(peak).to.equal(2);
      expect(await q.status('c-0')).to.deep.equal({ state: 'completed', outcome: { status: 'skipped', detail: 'test' } });
    });
  });
}
