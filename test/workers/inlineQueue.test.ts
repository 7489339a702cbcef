import { expect } from 'chai';
import { createInlineQueue } from '../../workers/queue/inlineQueue.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { jobQueueContract } from './jobQueue.contract.js';
import { waitUntil } from './waitUntil.js';

jobQueueContract('inline (memory)', () => async (settings) => createInlineQueue(settings));

describe('inline queue with a journal', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-inline-')));
  afterEach(async () => dir.remove());

  it('given pending and finished jobs, when the queue restarts, then pending ones run and finished ids stay deduped', async () => {
    const file = dir.file('queue.jsonl');
    const first = createInlineQueue<{ n: number }>({ journalFile: file, attempts: 1 });
    await first.start(async (job) => {
      if (job.id === 'bad') throw Object.assign(new Error('no address'), { permanent: true });
      return { status: 'sent' };
    });
    await first.enqueue('done', { n: 1 });
    await first.enqueue('bad', { n: 2 });
    await waitUntil(async () => (await first.counts()).completed === 1 && (await first.counts()).failed === 1, 'first jobs');
    await first.stop();
    // A queue that crashed before running its job: enqueued, never started.
    const crashed = createInlineQueue<{ n: number }>({ journalFile: file });
    await crashed.enqueue('pending', { n: 3 });
    await crashed.stop();

    const second = createInlineQueue<{ n: number }>({ journalFile: file });
    const ran: string[] = [];
    await second.start(async (job) => (ran.push(job.id), { status: 'sent' }));
    expect(await second.enqueue('done', { n: 1 })).to.equal(false);
    expect(await second.enqueue('bad', { n: 2 })).to.equal(false);
    await waitUntil(() => ran.length === 1, 'pending job');
    expect(ran).to.deep.equal(['pending']);
    expect((await second.failedJobs()).map((f) => f.jobId)).to.deep.equal(['bad']);
    await second.stop();
  });

  it('given a failed job retried, when the queue restarts before it ran, then it runs after the restart and is no longer failed', async () => {
    const file = dir.file('queue.jsonl');
    const first = createInlineQueue<{ n: number }>({ journalFile: file, attempts: 1 });
    await first.start(async () => {
      throw Object.assign(new Error('550 no such mailbox'), { permanent: true });
    });
    await first.enqueue('bounced', { n: 5 });
    await waitUntil(async () => (await first.counts()).failed === 1, 'failed job');
    await first.stop();
    // Retried by a queue whose processor never ran (as if the process died right after).
    const retrying = createInlineQueue<{ n: number }>({ journalFile: file });
    expect(await retrying.retry('bounced')).to.equal('retried');
    await retrying.stop();

    const second = createInlineQueue<{ n: number }>({ journalFile: file });
    expect(await second.failedJobs()).to.deep.equal([]);
    const ran: Array<[string, number, number]> = [];
    await second.start(async (job) => (ran.push([job.id, job.payload.n, job.attempt]), { status: 'sent' }));
    await waitUntil(() => ran.length === 1, 'retried job');
    expect(ran).to.deep.equal([['bounced', 5, 1]]);
    await waitUntil(async () => (await second.status('bounced'))?.state === 'completed', 'completion');
    await second.stop();

    const third = createInlineQueue<{ n: number }>({ journalFile: file });
    expect(await third.status('bounced')).to.deep.equal({ state: 'completed', outcome: { status: 'sent' } });
    expect(await third.retry('bounced')).to.equal('not-failed');
    await third.stop();
  });
});
