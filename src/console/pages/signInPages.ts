import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { ConsoleDeps } from '../consoleDeps.js';
import { cookieOf, redirect, requestInfoOf, SESSION_COOKIE, setCookie, SIGN_IN_COOKIE, renderPage } from '../consoleHttp.js';
import { field, readForm } from '../formBody.js';
import { SignInRefused } from '../session/consoleAuthority.js';
import { authorizationSignInContext, CONSOLE_AUTHORIZE_PATH, setAuthorizationSessionCookie } from './authorizePages.js';

/** The sign-in page; with a context it continues an authorization request afterwards. */
export async function showSignIn(
  ctx: Context,
  deps: ConsoleDeps,
  options: { status?: number; error?: string; username?: string; context?: { continueTo: string; prompt: string; csp: string; action?: string } } = {},
): Promise<void> {
  const nonce = deps.signInCsrf.newNonce();
  setCookie(ctx, deps, SIGN_IN_COOKIE, nonce, 600);
  const ended = ctx.query.ended === '1' ? 'Your session has ended. Please sign in again.' : undefined;
  const signedOut = ctx.query.signedOut === '1' ? 'You have signed out.' : undefined;
  if (options.context) ctx.set('Content-Security-Policy', options.context.csp);
  await renderPage(ctx, deps, 'signIn', {
    title: 'Sign in',
    csrf: deps.signInCsrf.tokenFor(nonce),
    error: options.error,
    notice: ended ?? signedOut,
    username: options.username ?? '',
    prompt: options.context?.prompt,
    continueTo: options.context?.continueTo,
    // A storefront application's sign-in posts to its own route (storefrontAuthorizePages.ts).
    action: options.context?.action,
  }, options.status ?? 200);
}

/** Sign-in (`/console/`), sign-out. */
export function registerSignInRoutes(router: Router, deps: ConsoleDeps): void {

  for (const path of ['/console', '/console/']) {
    router.get(path, async (ctx) => {
      const { session } = await deps.sessions.get(cookieOf(ctx, SESSION_COOKIE), deps.now().getTime());
      if (session) return redirect(ctx, '/console/me');
      await showSignIn(ctx, deps);
    });
  }
  router.get('/console/sign-in', (ctx) => redirect(ctx, '/console/'));

  router.post('/console/sign-in', async (ctx) => {
    const form = await readForm(ctx);
    if (!deps.signInCsrf.verify(cookieOf(ctx, SIGN_IN_COOKIE), form.get('_csrf') ?? undefined)) {
      await renderPage(ctx, deps, 'error', {
        title: 'Forbidden',
        heading: 'This form cannot be accepted',
        message: 'The sign-in form has expired or was not sent from this console. Open the console again and sign in.',
      }, 403);
      return;
    }
    const username = field(form, 'username');
    const password = form.get('password') ?? '';
    // Only the id of a parked authorization request: the destination is built here, never taken from the form.
    const context = await authorizationSignInContext(deps, form.get('continue') ?? undefined);
    if (username === '' || password === '') return showSignIn(ctx, deps, { status: 400, error: 'Enter your username and password.', username, context });
    try {
      const session = await deps.authority.signIn(username, password, requestInfoOf(ctx));
      setCookie(ctx, deps, SIGN_IN_COOKIE, '', 0);
      setCookie(ctx, deps, SESSION_COOKIE, session.id);
      setAuthorizationSessionCookie(ctx, deps, session.id);
      if (context) ctx.set('Content-Security-Policy', context.csp);
      redirect(ctx, context ? `${CONSOLE_AUTHORIZE_PATH}?request=${context.continueTo}` : '/console/me');
    } catch (error) {
      if (!(error instanceof SignInRefused)) throw error;
      await showSignIn(ctx, deps, { status: error.reason === 'credentials' ? 401 : 503, error: error.message, username, context });
    }
  });

  router.post('/console/sign-out', async (ctx) => {
    const { session } = ctx.state.console as { session: Parameters<ConsoleDeps['authority']['signOut']>[0] };
    await deps.authority.signOut(session, requestInfoOf(ctx), 'signOut');
    setCookie(ctx, deps, SESSION_COOKIE, '', 0);
    setAuthorizationSessionCookie(ctx, deps, '', 0);
    redirect(ctx, '/console/?signedOut=1');
  });
}
