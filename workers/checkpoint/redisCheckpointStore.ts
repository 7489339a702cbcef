import { Redis } from 'ioredis';
import type { CheckpointStore } from './checkpointStore.js';

/** Checkpoints as Redis keys `<prefix>:checkpoint:<name>` (with REDIS_URL: shared by nodes). */
export function createRedisCheckpointStore(redisUrl: string, prefix = 'tollgate'): CheckpointStore {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => {}); // reconnects on its own; commands wait meanwhile
  const key = (name: string): string => `${prefix}:checkpoint:${name}`;
  return {
    async load(name) {
      const value = await redis.get(key(name));
      return value === null ? undefined : Number(value);
    },
    async store(name, position) {
      await redis.set(key(name), String(position));
    },
    async close() {
      redis.disconnect();
    },
  };
}
