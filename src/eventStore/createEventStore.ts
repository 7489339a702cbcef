import { join } from 'node:path';
import { streamPrefixes } from '../domain/shared/streamNames.js';
import { ensurePrivateDir } from '../security/privateFiles.js';
import type { EventStore } from './eventStore.js';
import { createEventStoreDbEventStore } from './eventStoreDbEventStore.js';
import { createPostgresEventStore } from './postgres/postgresEventStore.js';
import { createSqliteEventStore } from './sqliteEventStore.js';

export interface EventStoreConfig {
  /** EVENTSTORE_URL: `postgres://`/`postgresql://` PostgreSQL, another URL EventStoreDB; unset: the embedded SQLite store. */
  eventStoreUrl?: string;
  /** EVENTSTORE_POOL_SIZE: PostgreSQL connections per process (default 8). */
  poolSize?: number;
  /** DATA_DIR: holds `events.sqlite` for the embedded store (created when missing). */
  dataDir: string;
}

/** Picks the adapter from configuration (DESIGN §2). Throws StoreUnavailableError if the file is unusable. */
export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  if (config.eventStoreUrl && isPostgresUrl(config.eventStoreUrl)) {
    return createPostgresEventStore({ connectionString: config.eventStoreUrl, ...(config.poolSize !== undefined && { poolSize: config.poolSize }) });
  }
  if (config.eventStoreUrl) {
    // Only token streams get a max age (src/tokens/tokenAudit.ts): only their events are checked for it.
    return createEventStoreDbEventStore(config.eventStoreUrl, { maxAgeStreamPrefixes: [streamPrefixes.tokens] });
  }
  ensurePrivateDir(config.dataDir);
  return createSqliteEventStore({ file: join(config.dataDir, 'events.sqlite') });
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);
