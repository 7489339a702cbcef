import type { Middleware } from 'koa';
import type { RateDecision } from '../rateLimit/index.js';
import { AUTHORIZE_PATH } from '../tokens/metadata.js';
import type { ConsoleDeps } from './consoleDeps.js';
import { renderPage } from './consoleHttp.js';

/**
 * The per-IP limit of the OAuth endpoints (RATE_LIMIT_PER_IP, src/rateLimit/) on the pages a
 * password guesser or a request flood goes through: GET /oauth2-token/authorize (each parks a
 * request) and the sign-in POSTs (the console's, which authorization requests continue
 * through, and the storefront one). Counted under its own keys (`authorize:<ip>`), so a
 * browser's sign-ins do not spend a client's token-endpoint budget on the same address.
 * Over it: a 429 page with Retry-After, nothing parked, no password checked.
 */
export type AdmitIp = (key: string) => RateDecision | Promise<RateDecision>;

const LIMITED = (method: string, path: string): boolean =>
  (method === 'GET' && path === AUTHORIZE_PATH) ||
  (method === 'POST' && (path === '/console/sign-in' || path === '/console/authorize/sign-in'));

export function signInRateLimit(deps: ConsoleDeps, admitIp: AdmitIp | undefined): Middleware {
  return async (ctx, next) => {
    if (!admitIp || !LIMITED(ctx.method, ctx.path)) return next();
    const decision = await admitIp(`authorize:${ctx.ip}`);
    if (decision.allowed) return next();
    ctx.set('Retry-After', String(decision.retryAfterSeconds));
    await renderPage(ctx, deps, 'error', {
      title: 'Too many requests',
      heading: 'Too many attempts',
      message: `Too many sign-in requests from your network. Try again in ${decision.retryAfterSeconds} second${decision.retryAfterSeconds === 1 ? '' : 's'}.`,
    }, 429);
  };
}
