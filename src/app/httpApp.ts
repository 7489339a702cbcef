import Koa from 'koa';
import type { Router } from '@koa/router';
import type { Logger } from '../logging/logger.js';
import { errorMiddleware } from '../http/errorMiddleware.js';
import { correlationMiddleware } from '../http/requestContext.js';
import { securityHeaders } from '../http/securityHeaders.js';
import { accessLog } from '../http/accessLog.js';
import { noStore } from '../http/noStore.js';
import { unsupportedMethods } from '../http/unsupportedMethods.js';
import { requestClientAddress } from '../http/clientAddress.js';

/**
 * The Koa application: security headers and correlation id on every response, the one
 * problem+json error handler, methods no route serves refused (405/501), `no-store` on admin
 * responses, then the routers. The OAuth router answers its own errors in
 * RFC 6749 form before they reach the problem handler.
 */
export function createHttpApp(options: {
  logger: Logger;
  routers: Router[];
  /** TRUST_PROXY: proxy hops whose X-Forwarded-For entries are believed (0: none). */
  trustProxyHops?: number;
}): Koa {
  const app = new Koa();
  app.silent = true; // errors are logged by errorMiddleware, never printed with stacks
  const hops = options.trustProxyHops ?? 0;
  // ctx.ip (audit metadata) is the same client address the OAuth endpoints use.
  app.use(async (ctx, next) => {
    ctx.request.ip = requestClientAddress(ctx.req, hops);
    await next();
  });
  app.use(securityHeaders());
  app.use(correlationMiddleware());
  app.use(accessLog(options.logger));
  app.use(errorMiddleware(options.logger));
  app.use(unsupportedMethods());
  app.use(noStore(['/admin']));
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}
