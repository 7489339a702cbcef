import type { Middleware } from 'koa';
import type { Principal } from '../authorization/principal.js';
import { writeRefusal } from '../authorization/readOnlyAccess.js';
import { HttpProblem } from '../http/problem.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The admin API's one write guard: a read-only caller (an auditor, src/authorization/readOnlyAccess.ts)
 * gets 403 on every route that is not a read, before anything is loaded, so the answer is the
 * same whether the target exists or not, and a write route added later is covered without
 * changes here. The one exception is their own user record (`PATCH /admin/users/<self>`), where
 * userPolicy.userChangeRefusal lets through their own password change and nothing else.
 */
export function readOnlyGuard(): Middleware {
  return async (ctx, next) => {
    const principal = ctx.state.principal as Principal | undefined;
    if (principal !== undefined && !READS.has(ctx.method) && !isOwnUserRecord(ctx.method, ctx.path, principal)) {
      const refusal = writeRefusal(principal);
      if (refusal !== undefined) throw new HttpProblem(403, refusal);
    }
    await next();
  };
}

const isOwnUserRecord = (method: string, path: string, principal: Principal): boolean =>
  method === 'PATCH' && path === `/admin/users/${principal.userId}`;
