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

export function corsMiddleware(options: CorsOptions, methods: string): Middleware {
  const any = options.allowedOrigins.includes('*');
  const origins = new Set(options.allowedOrigins.map((o) => o.replace(/\/+$/, '')));
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    const allowed = origin !== '' && (any || origins.has(origin));
    if (!any) ctx.vary('Origin');
    if (allowed) {
      ctx.set('Access-Control-Allow-Origin', any ? '*' : origin);
      ctx.set('Access-Control-Expose-Headers', 'WWW-Authenticate');
    }
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '') {
      if (allowed) {
        ctx.set('Access-Control-Allow-Methods', methods);
        ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        ctx.set('Access-Control-Max-Age', maxAge);
      }
      ctx.status = 204;
      return;
    }
    await next();
  };
}
