import { expect } from 'chai';
import type { CheckpointStore } from '../../workers/checkpoint/checkpointStore.js';
import { createFileCheckpointStore } from '../../workers/checkpoint/fileCheckpointStore.js';
import { createRedisCheckpointStore } from '../../workers/checkpoint/redisCheckpointStore.js';
import { redisUnavailableReason, startRedisServer, type RedisServer } from '../support/redisServer.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';

function checkpointContract(label: string, open: () => CheckpointStore | undefined): void {
  describe(`checkpoint store: ${label}`, () => {
    it('given nothing stored, then load gives undefined; when stored, then a new instance loads it, per name', async function () {
      const first = open();
      if (!first) return this.skip();
      expect(await first.load('reactor')).to.equal(undefined);
      await first.store('reactor', 41);
      await first.store('reactor', 42);
      await first.store('other', 7);
      await first.close();
      const second = open()!;
      expect(await second.load('reactor')).to.equal(42);
      expect(await second.load('other')).to.equal(7);
      await second.close();
    });
  });
}

describe('checkpoint stores', () => {
  let dir: TempDir;
  let redis: RedisServer | null = null;
  let prefix = '';
  before(async () => {
    dir = await createTempDir('tollgate-checkpoints-');
    redis = await startRedisServer();
    if (!redis) console.warn(redisUnavailableReason);
  });
  after(async () => {
    await redis?.dispose();
    await dir.remove();
  });
  let n = 0;
  beforeEach(() => (prefix = `test${++n}-${Date.now()}`));

  checkpointContract('file', () => createFileCheckpointStore(dir.file(prefix)));
  checkpointContract('redis', () => (redis ? createRedisCheckpointStore(redis.url, prefix) : undefined));
});
