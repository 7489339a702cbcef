import type { Middleware } from 'koa';
import { HttpProblem } from './problem.js';

/** The methods any Tollgate route answers; the router's allowedMethods narrows them per path. */
export const SERVED_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Methods no route serves (TRACE, CONNECT, PROPFIND, MKCOL, …) are refused up front on every
 * path: 405 with Allow, a plain problem+json, not an error, so nothing is logged above debug
 * and no stack exists. (A method Node's parser does not know never gets here: it answers 400.)
 */
export function unsupportedMethods(): Middleware {
  return async (ctx, next) => {
    if (SERVED_METHODS.includes(ctx.method)) return next();
    throw new HttpProblem(405, `The method ${ctx.method} is not supported.`, undefined, {
      Allow: SERVED_METHODS.join(', '),
    });
  };
}
