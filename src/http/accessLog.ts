import type { Middleware } from 'koa';
import type { Logger } from '../logging/logger.js';

/**
 * One debug line per request: method, path (never the query string, which could carry
 * credentials), status, duration, correlation id. Skipped entirely above debug level, so the
 * token endpoint pays nothing for it in production.
 */
export function accessLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    if (!logger.isLevelEnabled('debug')) return next();
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      logger.debug(
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          correlationId: ctx.state.correlationId as string | undefined,
        },
        'request',
      );
    }
  };
}
