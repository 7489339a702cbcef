import type { Middleware } from 'koa';
import type { Logger } from '../logging/logger.js';
import { isDomainError } from '../domain/shared/domainError.js';
import { ConcurrencyError, StoreUnavailableError } from '../eventStore/eventStore.js';
import { HttpProblem, problem, statusByDomainCode, type Problem } from './problem.js';

/**
 * The one error handler, first in the chain. Known errors become problem+json with a safe
 * detail; anything else is logged and answered 500 with no internals (no stack, no message).
 */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpProblem(404, `No route for ${ctx.method} ${ctx.path}`);
      }
    } catch (error) {
      const { body, headers } = toProblem(error, logger, ctx.state.correlationId as string);
      // The router's allowedMethods({ throw: true }) throws 405 without the Allow header
      // (RFC 9110 §15.5.6 requires it): rebuild it from the layers that matched the path.
      if (body.status === 405 && headers.Allow === undefined) {
        const allow = allowedMethodsOf((ctx as { matched?: unknown }).matched);
        if (allow) headers.Allow = allow;
      }
      ctx.status = body.status;
      for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
      ctx.type = 'application/problem+json';
      ctx.body = body;
    }
  };
}

function toProblem(
  error: unknown,
  logger: Logger,
  correlationId: string | undefined,
): { body: Problem; headers: Record<string, string> } {
  if (error instanceof HttpProblem) {
    return { body: problem(error.status, error.detail, error.errors), headers: error.headers };
  }
  if (isDomainError(error)) {
    return {
      body: problem(statusByDomainCode[error.code], error.message, error.errors),
      headers: {},
    };
  }
  if (error instanceof ConcurrencyError) {
    return { body: problem(409, 'The resource was changed concurrently; retry.'), headers: {} };
  }
  if (error instanceof StoreUnavailableError) {
    logger.warn({ err: { message: error.message }, correlationId }, 'event store unavailable');
    return {
      body: problem(503, 'The event store is unavailable; nothing was written. Retry later.'),
      headers: { 'Retry-After': '5' },
    };
  }
  const status = httpStatusOf(error);
  if (status && status >= 400 && status < 500) {
    // Koa / router / raw-body client errors (405, 413, 415, ...): their messages are safe.
    const message = error instanceof Error ? error.message : undefined;
    return { body: problem(status, message), headers: allowHeader(error) };
  }
  logger.error({ err: error, correlationId }, 'unhandled error');
  return { body: problem(500, 'An internal error occurred.'), headers: {} };
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown };
  const s = typeof e.status === 'number' ? e.status : e.statusCode;
  return typeof s === 'number' && e.expose !== false ? s : undefined;
}

function allowHeader(error: unknown): Record<string, string> {
  const headers = (error as { headers?: Record<string, string> }).headers;
  return headers?.Allow ? { Allow: headers.Allow } : {};
}

/** The methods of the route layers that matched the path (HEAD included with GET). */
function allowedMethodsOf(matched: unknown): string | undefined {
  if (!Array.isArray(matched)) return undefined;
  const methods = new Set<string>();
  for (const layer of matched as Array<{ methods?: unknown }>) {
    if (Array.isArray(layer.methods)) for (const m of layer.methods) if (typeof m === 'string') methods.add(m);
  }
  if (methods.size === 0) return undefined;
  methods.add('OPTIONS');
  return [...methods].join(', ');
}
