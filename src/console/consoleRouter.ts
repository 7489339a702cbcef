import { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { writeRefusal } from '../authorization/readOnlyAccess.js';
import { isDomainError } from '../domain/shared/domainError.js';
import { HttpProblem } from '../http/problem.js';
import { registerConsoleAssets } from './assets.js';
import type { ConsoleDeps } from './consoleDeps.js';
import { consoleHeaders, cookieOf, renderPage, requestInfoOf, SESSION_COOKIE, checkCsrf, redirect, type ConsoleState } from './consoleHttp.js';
import { readForm } from './formBody.js';
import { signInRateLimit } from './signInRateLimit.js';
import { registerSignInRoutes } from './pages/signInPages.js';
import { registerMyUserPages } from './pages/myUserPages.js';
import { registerApplicationPages } from './pages/applicationPages.js';
import { registerUserPages } from './pages/userPages.js';
import { registerOrganizationPages } from './pages/organizationPages.js';
import { registerNotificationPages } from './pages/notificationPages.js';
import { CONSOLE_AUTHORIZE_PATH, registerAuthorizePages } from './pages/authorizePages.js';
import { registerConsentPages } from './pages/consentPages.js';
import { registerStorefrontAuthorizePages, STOREFRONT_AUTHORIZE_PATHS } from './pages/storefrontAuthorizePages.js';

/**
 * POSTs a read-only caller (an auditor) may still send: signing out, and the OAuth protocol's
 * own steps for themselves: granting an application access as them at the authorization
 * endpoint (its tokens act as the auditor, so read-only; the subject check applies as for
 * every grant) and revoking such a grant. The admin API leaves the token endpoints to auditors
 * the same way.
 */
const READ_ONLY_EXEMPT = (path: string): boolean =>
  path === '/console/sign-out' || path === CONSOLE_AUTHORIZE_PATH || /^\/console\/me\/consents\/[^/]+\/revoke$/.test(path);

/** Pages anyone may open (everything else needs a live session). */
const PUBLIC = new Set(['/console', '/console/', '/console/sign-in']);
/** Shows the sign-in page itself when there is no session (it continues an authorization request). */
const PUBLIC_GET = new Set([CONSOLE_AUTHORIZE_PATH]);

/**
 * The back-office console at /console/: server-rendered pages on the admin API's command
 * services, authorization functions and read model. Every page but sign-in needs a session
 * whose tokens pass the bearer checks; every POST needs the session's CSRF token.
 */
export function createConsoleRouter(deps: ConsoleDeps): Router {
  const router = new Router();
  router.use(consoleHeaders());
  router.use(saveSession(deps));
  router.use(consoleErrors(deps));
  router.use(signInRateLimit(deps, deps.admitIp));
  router.use(requireSession(deps));
  registerConsoleAssets(router);
  registerSignInRoutes(router, deps);
  registerAuthorizePages(router, deps);
  registerStorefrontAuthorizePages(router, deps);
  registerConsentPages(router, deps);
  // /console/users/new before /console/users/:id.
  registerUserPages(router, deps);
  registerMyUserPages(router, deps);
  registerApplicationPages(router, deps);
  registerOrganizationPages(router, deps);
  registerNotificationPages(router, deps);
  return router;
}

/**
 * Writes the request's session back once it is answered, error pages included (last use,
 * flashes shown, the one-time secret), so the next request finds it on any node. The answer
 * stands whatever the write-back does: the route's change is made, so a failed write-back is
 * logged, never turned into an error page saying otherwise (what is lost is what it carried: a
 * flash, or a secret shown once, which a rotation replaces).
 */
function saveSession(deps: ConsoleDeps): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      const session = (ctx.state.console as ConsoleState | undefined)?.session;
      if (session) {
        await deps.sessions.save(session).catch((error: unknown) =>
          deps.logger?.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'console session could not be written back'),
        );
      }
    }
  };
}

function requireSession(deps: ConsoleDeps): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/console') || PUBLIC.has(ctx.path) || ctx.path.startsWith('/console/assets/')) return next();
    // Storefront users' sign-in and decision at the authorization endpoint: no console session.
    if (ctx.method === 'POST' && STOREFRONT_AUTHORIZE_PATHS.has(ctx.path)) return next();
    if (ctx.method === 'GET' && PUBLIC_GET.has(ctx.path)) return next();
    const request = requestInfoOf(ctx);
    const { session, expired } = await deps.sessions.get(cookieOf(ctx, SESSION_COOKIE), deps.now().getTime());
    if (expired) await deps.authority.signOut(expired, request, 'expired');
    const principal = session ? await deps.authority.authenticate(session, request) : undefined;
    if (!session || !principal) {
      redirect(ctx, session || expired ? '/console/?ended=1' : '/console/');
      return;
    }
    ctx.state.console = { session, principal };
    // The admin API's loaders and checks (src/admin/) read the caller here.
    ctx.state.principal = principal;
    if (ctx.method === 'POST') {
      const form = await readForm(ctx);
      if (!checkCsrf(ctx, form)) {
        await renderPage(ctx, deps, 'error', {
          title: 'Forbidden',
          heading: 'This form cannot be accepted',
          message: 'The form was not sent from this console session (its security token is missing or wrong). Reload the page and try again.',
        }, 403);
        return;
      }
      // The console's one write guard, the admin API's rule (readOnlyAccess.writeRefusal): an
      // auditor's every POST but sign-out is refused before the route runs, nothing written.
      const refusal = READ_ONLY_EXEMPT(ctx.path) ? undefined : writeRefusal(principal);
      if (refusal !== undefined) {
        await renderPage(ctx, deps, 'error', { title: 'Forbidden', heading: 'Not allowed', message: refusal }, 403);
        return;
      }
      ctx.state.form = form;
    }
    await next();
  };
}

/** Not found and forbidden as pages; validation errors reaching here as a page with the messages. */
function consoleErrors(deps: ConsoleDeps): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!ctx.path.startsWith('/console')) throw error;
      const page = errorPage(error);
      if (!page) throw error;
      if (error instanceof HttpProblem) for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
      await renderPage(ctx, deps, 'error', page.model, page.status);
    }
  };
}

function errorPage(error: unknown): { status: number; model: Record<string, unknown> } | undefined {
  const notFound = { status: 404, model: { title: 'Not found', heading: 'Not found', message: 'There is no such page, or you may not see it.' } };
  if (isDomainError(error)) {
    if (error.code === 'NOT_FOUND') return notFound;
    if (error.code === 'FORBIDDEN') return { status: 403, model: { title: 'Forbidden', heading: 'Not allowed', message: error.message } };
    return { status: 400, model: { title: 'Not possible', heading: 'Not possible', message: error.message, errors: error.errors } };
  }
  if (error instanceof HttpProblem && error.status === 503) {
    return { status: 503, model: { title: 'Unavailable', heading: 'Unavailable', message: error.detail ?? '' } };
  }
  if (error instanceof HttpProblem && error.status < 500) {
    if (error.status === 404) return notFound;
    return { status: error.status, model: { title: 'Not possible', heading: 'Not possible', message: error.detail ?? '' } };
  }
  return undefined;
}

export const formOf = (ctx: Context): URLSearchParams => {
  const form = ctx.state.form as URLSearchParams | undefined;
  if (!form) throw new HttpProblem(400, 'A form is required.');
  return form;
};
