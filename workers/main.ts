import pino from 'pino';
import { loadConfig } from '../src/config/config.js';
import { createEventStore } from '../src/eventStore/createEventStore.js';
import { startNotificationWorker } from './startNotificationWorker.js';
import { createWorkerAdapters } from './workerEnvironment.js';

/** `npm run worker`: the notification worker as its own process (scale-out with Redis). */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.redisUrl) {
    // Without Redis each process has its own inline queue: only one of them may send.
    process.stderr.write('No REDIS_URL: this worker uses an inline queue. Run the server with NOTIFICATIONS_IN_PROCESS=off, or both would send.\n');
  }
  const log = pino({ level: config.logLevel, name: 'tollgate-worker' });
  const store = await createEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir });
  if (store.kind === 'sqlite') {
    log.info({}, "embedded SQLite store: the server's new events are picked up by polling (every 500 ms)");
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
