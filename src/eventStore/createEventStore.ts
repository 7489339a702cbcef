import { join } from 'node:path';
import { ensurePrivateDir } from '../security/privateFiles.js';
import type { EventStore } from './eventStore.js';
import { createEventStoreDbEventStore } from './eventStoreDbEventStore.js';
import { createSqliteEventStore } from './sqliteEventStore.js';

export interface EventStoreConfig {
  /** EVENTSTORE_URL: when set, EventStoreDB; otherwise the embedded SQLite store. */
  eventStoreUrl?: string;
  /** DATA_DIR: holds `events.sqlite` for the embedded store (created when missing). */
  dataDir: string;
}

/** Picks the adapter from configuration (DESIGN §2). Throws StoreUnavailableError if the file is unusable. */
export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  if (config.eventStoreUrl) return createEventStoreDbEventStore(config.eventStoreUrl);
  ensurePrivateDir(config.dataDir);
  return createSqliteEventStore({ file: join(config.dataDir, 'events.sqlite') });
}
