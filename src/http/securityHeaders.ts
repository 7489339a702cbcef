import type { Middleware } from 'koa';

/** Conservative security headers on every response: an API serves no active content. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Strict-Transport-Security': 'max-age=31536000',
});

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    for (const name in SECURITY_HEADERS) ctx.set(name, SECURITY_HEADERS[name]!);
    await next();
  };
}
