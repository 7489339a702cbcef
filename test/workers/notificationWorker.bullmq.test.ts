import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createBullMqQueue } from '../../workers/queue/bullMqQueue.js';
import { redisUnavailableReason, startRedisServer, type RedisServer } from '../support/redisServer.js';
import { notificationWorkerContract } from './notificationWorker.contract.js';
import { useWorkerWorld, type QueueKit } from './workerWorld.js';
import { sleep, waitUntil } from './waitUntil.js';

describe('notification worker on BullMQ with a real redis-server', function () {
  this.timeout(90_000);
  // appendonly + fsync always: what Redis acknowledged survives a SIGKILL (the restart test).
  let redis: RedisServer | null = null;
  let queueName = '';
  before(async function () {
    redis = await startRedisServer({ appendOnly: true });
    if (!redis) {
      console.warn(redisUnavailableReason);
      this.skip();
    }
  });
  after(async () => redis?.dispose());
  beforeEach(() => (queueName = `notifications-${randomUUID()}`));

  const kit = (): QueueKit | undefined =>
    redis
      ? { open: () => createBullMqQueue({ redisUrl: redis!.url, name: queueName, attempts: 4, backoffMs: 30, concurrency: 2 }) }
      : undefined;

  notificationWorkerContract('bullmq', kit);

  describe('Redis restarted mid-run', function () {
    // A job whose completion was cut off by the kill stays active until BullMQ's stalled check
    // (its 30 s lock, then the next stalled check: about a minute): the test waits past it.
    this.timeout(120_000);
    const w = useWorkerWorld(kit);

    it('given Redis is killed while applications are created, when it comes back, then every email is delivered exactly once', async function () {
      if (!redis!.canRestart) return this.skip(); // external REDIS_URL
      const org = await w.given.organization();
      const owner = await w.given.user({ organizationId: org });
      for (let i = 0; i < 5; i++) await w.given.application({ organizationId: org, ownerUserId: owner, name: `before ${i}` });
      await w.sink.waitFor(2);
      await redis!.kill();
      for (let i = 0; i < 5; i++) await w.given.application({ organizationId: org, ownerUserId: owner, name: `during ${i}` });
      await sleep(300); // the reactor and the worker now wait on Redis
      await redis!.start();
      await w.sink.waitFor(10);
      await waitUntil(async () => {
        const c = await w.worker.queue.counts();
        return c.waiting + c.active + c.delayed === 0;
      }, 'the queue to drain', 90_000);
      await sleep(200); // a duplicate would arrive now
      const ids = w.sink.messages.map((m) => m.messageId);
      expect(ids).to.have.length(10);
      expect(new Set(ids).size).to.equal(10);
      expect(await w.worker.queue.failedJobs()).to.deep.equal([]);
    });
  });
});
