import type { Middleware } from 'koa';

/**
 * `Cache-Control: no-store` on every response under these path prefixes, errors included:
 * admin responses hold users, applications and audit trails that no cache may keep.
 */
export function noStore(prefixes: readonly string[]): Middleware {
  return async (ctx, next) => {
    if (prefixes.some((p) => ctx.path === p || ctx.path.startsWith(`${p}/`))) ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
