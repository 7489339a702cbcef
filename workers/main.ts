import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/config.js';
import { createSqliteEventStore } from '../src/eventStore/sqliteEventStore.js';
import { startNotificationWorker } from './startNotificationWorker.js';
import { createWorkerAdapters } from './workerEnvironment.js';

/** `npm run worker`: the notification worker as its own process (scale-out with Redis). */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, name: 'tollgate-worker' });
  if (config.eventStoreUrl) {
    // TODO(lead): use the shared event store factory once the EventStoreDB adapter lands.
    throw new Error('EVENTSTORE_URL: the worker entry does not open EventStoreDB yet');
  }
  mkdirSync(config.dataDir, { recursive: true });
  const store = createSqliteEventStore({ file: join(config.dataDir, 'events.sqlite') });
  const worker = await startNotificationWorker({
    store,
    ...createWorkerAdapters({ dataDir: config.dataDir, redisUrl: config.redisUrl, smtpUrl: config.smtpUrl, log }),
    mailFrom: config.mailFrom,
    issuer: config.issuer,
    log,
  });
  const shutdown = async (): Promise<void> => {
    log.info({}, 'notification worker stopping');
    await worker.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
