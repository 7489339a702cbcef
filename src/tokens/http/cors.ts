import type { Middleware } from 'koa';

/**
 * CORS for the OAuth endpoints as Oro configures it: a list of allowed origins (empty by
 * default: no cross-origin access; `*` allows any), preflight answers cached for 600 s.
 * No cookies are involved, so credentials are never allowed.
 */
export interface CorsOptions {
  allowedOrigins: readonly string[];
  maxAgeSeconds?: number;
}

export interface CorsPolicy {
  /** Whether a request from `origin` (the Origin header, '' when absent) may read the answer. */
  allows(origin: string): boolean;
  /** The CORS headers of an actual (non-preflight) response to a request from `origin`. */
  responseHeaders(origin: string): Record<string, string>;
  /** The extra headers of a preflight answer from an allowed origin. */
  preflightHeaders(methods: string): Record<string, string>;
}

export function corsPolicy(options: CorsOptions): CorsPolicy {
  const any = options.allowedOrigins.includes('*');
  const origins = new Set(options.allowedOrigins.map((o) => o.replace(/\/+$/, '')));
  const maxAge = String(options.maxAgeSeconds ?? 600);
  const allows = (origin: string): boolean => origin !== '' && (any || origins.has(origin));
  return {
    allows,
    responseHeaders(origin) {
      const headers: Record<string, string> = any ? {} : { Vary: 'Origin' };
      if (allows(origin)) {
        headers['Access-Control-Allow-Origin'] = any ? '*' : origin;
        // Not CORS-safelisted, so a page could not read them otherwise: the challenge of a 401,
        // and when to retry after a 429 or 503.
        headers['Access-Control-Expose-Headers'] = 'WWW-Authenticate, Retry-After';
      }
      return headers;
    },
    preflightHeaders: (methods) => ({
      'Access-Control-Allow-Methods': methods,
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': maxAge,
    }),
  };
}

export function corsMiddleware(options: CorsOptions | CorsPolicy, methods: string): Middleware {
  const policy = 'allows' in options ? options : corsPolicy(options);
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    for (const [name, value] of Object.entries(policy.responseHeaders(origin))) {
      if (name === 'Vary') ctx.vary(value);
      else ctx.set(name, value);
    }
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '') {
      if (policy.allows(origin)) ctx.set(policy.preflightHeaders(methods));
      ctx.status = 204;
      return;
    }
    await next();
  };
}
