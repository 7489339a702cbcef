import { randomUUID } from 'node:crypto';
import { createBullMqQueue } from '../../workers/queue/bullMqQueue.js';
import { redisUnavailableReason, startRedisServer, type RedisServer } from '../support/redisServer.js';
import { jobQueueContract } from './jobQueue.contract.js';

describe('BullMQ queue on a real redis-server', function () {
  let redis: RedisServer | null = null;
  before(async function () {
    redis = await startRedisServer();
    if (!redis) {
      console.warn(redisUnavailableReason);
      this.skip();
    }
  });
  after(async () => redis?.dispose());

  // keepCompleted 0: completed jobs vanish at once, so dedupe must come from the processed hash.
  jobQueueContract('bullmq (completed jobs trimmed at once)', () =>
    redis
      ? async (settings) =>
          createBullMqQueue({ redisUrl: redis!.url, name: `contract-${randomUUID()}`, keepCompleted: 0, ...settings })
      : undefined,
  );
});
