import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createBullMqQueue, type BullMqQueueOptions } from '../../workers/queue/bullMqQueue.js';
import type { JobQueue } from '../../workers/queue/jobQueue.js';
import { redisUnavailableReason, startRedisServer, type RedisServer } from '../support/redisServer.js';
import { waitUntil } from './waitUntil.js';

const DYING_WORKER = fileURLToPath(new URL('./support/dyingBullMqWorker.ts', import.meta.url));

/** Starts a worker process, waits until it runs `jobId`, then SIGKILLs it mid-job. */
async function crashWhileRunning(settings: BullMqQueueOptions, jobId: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', DYING_WORKER], {
    env: { ...process.env, STALL_QUEUE: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker process never ran ${jobId}: ${out}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes(`running ${jobId}\n`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error(`the worker process exited before running ${jobId}: ${out}`)));
  }).finally(() => child.kill('SIGKILL'));
  await exited;
}

describe('BullMQ: a job whose worker died while running it', function () {
  this.timeout(90_000);
  let redis: RedisServer | null = null;
  const opened: JobQueue<unknown>[] = [];
  before(async function () {
    redis = await startRedisServer();
    if (!redis) {
      console.warn(redisUnavailableReason);
      this.skip();
    }
  });
  after(async () => {
    for (const q of opened) await q.stop();
    await redis?.dispose();
  });

  it('given a job whose worker was SIGKILLed mid-job twice, when a healthy worker comes, then it runs the job to completion instead of failing it as stalled', async () => {
    // Short locks so stall recovery takes a second, not a minute.
    const settings: BullMqQueueOptions = { redisUrl: redis!.url, name: `stall-${randomUUID()}`, lockDurationMs: 500, stalledIntervalMs: 250 };
    const producer = createBullMqQueue<{ n: number }>(settings);
    opened.push(producer);
    await producer.enqueue('job-1', { n: 1 });

    await crashWhileRunning(settings, 'job-1'); // stalled once: the next worker gets it back
    await crashWhileRunning(settings, 'job-1'); // stalled twice

    const healthy = createBullMqQueue<{ n: number }>(settings);
    opened.push(healthy);
    const ran: string[] = [];
    await healthy.start(async (job) => {
      ran.push(job.id);
      return { status: 'sent' };
    });
    const status = await waitUntil(async () => {
      const s = await healthy.status('job-1');
      return s && (s.state === 'completed' || s.state === 'failed') && s;
    }, 'job-1 to finish', 30_000);

    expect(status).to.deep.equal({ state: 'completed', outcome: { status: 'sent' } });
    expect(ran).to.deep.equal(['job-1']);
    expect(await healthy.failedJobs()).to.deep.equal([]);
  });
});
