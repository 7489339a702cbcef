import { isPostgresUrl } from '../../eventStore/createEventStore.js';
import { createPostgresSessionRecords } from './postgresSessionRecords.js';
import { createRedisSessionRecords } from './redisSessionRecords.js';
import { createMemorySessionRecords, type SessionRecords } from './sessionRecords.js';

/**
 * Where the deployment keeps sessions: beside the events when they are in PostgreSQL (nodes
 * share the database already); else in Redis when REDIS_URL is set (EventStoreDB, MongoDB and
 * Redis); else in this process (the embedded defaults: one node, sessions end at a restart).
 */
export function createSessionRecords(config: { eventStoreUrl?: string | undefined; redisUrl?: string | undefined }): SessionRecords {
  if (config.eventStoreUrl && isPostgresUrl(config.eventStoreUrl)) return createPostgresSessionRecords({ connectionString: config.eventStoreUrl });
  if (config.redisUrl) return createRedisSessionRecords({ url: config.redisUrl });
  return createMemorySessionRecords();
}
