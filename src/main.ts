import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './logging/logger.js';
import { startTollgate } from './app/tollgate.js';
import { applyHeapPolicy } from './app/heapPolicy.js';

/**
 * `npm start`: configuration from the environment (a bad value stops the start with a
 * message naming the variable), then the server. SIGTERM/SIGINT: stop accepting, finish
 * in-flight requests, flush pending appends, close stores.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  applyHeapPolicy(config.heapGrowingPercent);
  const logger = createLogger({ level: config.logLevel });
  let tollgate;
  try {
    tollgate = await startTollgate(config, logger);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal({ err: { message } }, 'Tollgate could not start');
    process.stderr.write(`Tollgate could not start: ${message}\n`);
    process.exit(1);
  }
  let shuttingDown = false;
  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    tollgate
      .stop()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
