import type { Context, Middleware } from 'koa';
import type { Principal } from '../authorization/principal.js';
import { HttpProblem } from '../http/problem.js';
import type { AdminDeps } from './adminDeps.js';

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/** Every admin route but /admin/status: the caller must present a valid bearer token. */
export function requireBearer(deps: Pick<AdminDeps, 'authenticate'>): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = BEARER.exec(header);
    if (!match) {
      throw new HttpProblem(401, 'A bearer access token is required.', undefined, {
        'WWW-Authenticate': 'Bearer realm="tollgate"',
      });
    }
    ctx.state.principal = await deps.authenticate(match[1]!);
    await next();
  };
}

export function principalOf(ctx: Context): Principal {
  const principal = ctx.state.principal as Principal | undefined;
  if (!principal) throw new HttpProblem(401, 'A bearer access token is required.');
  return principal;
}
