import { Redis } from 'ioredis';
import type { SessionRecords } from './sessionRecords.js';

/**
 * Sessions in Redis (REDIS_URL): one string key per session, `<prefix>:<kind>:<hash of id>`,
 * expiring with the record (PXAT), so Redis drops records past their time by itself. While
 * Redis is unreachable, calls fail at once (no offline queue) and the console answers 503.
 */
export function createRedisSessionRecords(options: { url: string; prefix?: string; commandTimeoutMs?: number }): SessionRecords {
  const prefix = options.prefix ?? 'tollgate:session';
  const redis = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    lazyConnect: false,
  });
  redis.on('error', () => undefined); // reported through the failing calls
  let connectedOnce = false;
  redis.on('ready', () => (connectedOnce = true));
  const keyOf = (kind: string, key: string) => `${prefix}:${kind}:${key}`;
  const ready = (): Promise<void> =>
    redis.status === 'ready'
      ? Promise.resolve()
      : connectedOnce
        ? Promise.reject(new Error('Redis is not reachable'))
        : new Promise((resolve, reject) => {
          // At start, before the first connection: wait for it a little rather than fail.
          const timer = setTimeout(() => (cleanup(), reject(new Error('Redis is not reachable'))), options.commandTimeoutMs ?? 2_000);
          const onReady = () => (cleanup(), resolve());
          const cleanup = () => (clearTimeout(timer), redis.off('ready', onReady));
          redis.on('ready', onReady);
        });
  return {
    kind: 'redis',
    async put(kind, key, value, expiresAt) {
      await ready();
      await redis.set(keyOf(kind, key), value, 'PXAT', Math.max(expiresAt, Date.now() + 1));
    },
    async replace(kind, key, value, expiresAt) {
      await ready();
      return (await redis.set(keyOf(kind, key), value, 'PXAT', Math.max(expiresAt, Date.now() + 1), 'XX')) === 'OK';
    },
    async get(kind, key) {
      await ready();
      return (await redis.get(keyOf(kind, key))) ?? undefined;
    },
    async delete(kind, key) {
      await ready();
      await redis.del(keyOf(kind, key));
    },
    async close() {
      redis.disconnect();
    },
  };
}
