import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { createEventStore } from '../eventStore/createEventStore.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { CliError, EXIT } from './exitCodes.js';

/**
 * The configured event store, which must already exist: an operator command on a mistyped
 * DATA_DIR reports it (exit 4) instead of creating an empty store there.
 */
export async function openExistingStore(config: Config): Promise<EventStore> {
  if (!config.eventStoreUrl) {
    const file = join(config.dataDir, 'events.sqlite');
    if (!existsSync(file)) throw new CliError(EXIT.notFound, `no event store at ${file} (check DATA_DIR)`);
  }
  return createEventStore({ eventStoreUrl: config.eventStoreUrl, poolSize: config.eventStorePoolSize, dataDir: config.dataDir });
}
