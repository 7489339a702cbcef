import pino from 'pino';
import { loadConfig } from '../src/config/config.js';
import { createEventStore } from '../src/eventStore/createEventStore.js';
import { startNotificationWorker } from './startNotificationWorker.js';
import { createWorkerAdapters } from './workerEnvironment.js';

/** `npm run worker`: the notification worker as its own process (scale-out with Redis). */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, name: 'tollgate-worker' });
  const store = await createEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir });
  if (store.kind === 'sqlite') {
    log.warn({}, 'embedded SQLite store: this process sees only events written before it started and by itself; run the worker inside the server, or use EVENTSTORE_URL for a separate worker process');
  }
  // The subscription and an idle inline queue hold no handle: keep the process up until a signal.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const worker = await startNotificationWorker({
    store,
    ...createWorkerAdapters({ dataDir: config.dataDir, redisUrl: config.redisUrl, smtpUrl: config.smtpUrl, log }),
    mailFrom: config.mailFrom,
    issuer: config.issuer,
    log,
  });
  const shutdown = async (): Promise<void> => {
    log.info({}, 'notification worker stopping');
    clearInterval(keepAlive);
    await worker.stop();
    await store.close();
    log.info({}, 'notification worker stopped');
    log.flush?.();
    process.exitCode = 0;
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
