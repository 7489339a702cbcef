import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { ExistingApplication } from '../../domain/application/applicationEvents.js';
import { toUserStreamName } from '../../domain/shared/streamNames.js';
import { userDecider } from '../../domain/user/userDecider.js';
import type { RecordSignIn } from '../../domain/user/userCommands.js';
import type { PendingAuthorization } from '../../tokens/authorize/pendingAuthorizations.js';
import { InvalidGrant } from '../../tokens/oauthErrors.js';
import { authenticateResourceOwner } from '../../tokens/passwordSignIn.js';
import { isSessionEnded, sessionStartSeconds } from '../../domain/user/userSessions.js';
import { consoleUserMetadata } from '../../tokens/requestInfo.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { cookieOf, redirect, renderPage, requestInfoOf, setCookie, SIGN_IN_COOKIE } from '../consoleHttp.js';
import { sameToken } from '../csrf.js';
import { readForm, field } from '../formBody.js';
import type { AuthorizeSession } from '../session/authorizeSessionStore.js';
import {
  approveOrAskConsent,
  approve,
  authorizationCsp,
  authorizationSignInContext,
  CONSOLE_AUTHORIZE_PATH,
  refusal,
  respond,
  resumeAuthorization,
  takeAuthorization,
  untrustedPage,
} from './authorizePages.js';
import { showSignIn } from './signInPages.js';

/**
 * The authorization flow of storefront applications, whose users are customers (no console
 * session): the same sign-in and consent pages, but the sign-in is the password grant's rule
 * for that application (src/tokens/passwordSignIn.ts: same checks, same lockout counting,
 * the same single generic error after the same work), and it opens an authorize-only session
 * (authorizeSessionStore.ts) whose cookie is scoped to /console/authorize, HttpOnly,
 * SameSite=Lax, Secure behind https. Those sessions decide storefront requests only; the
 * console's session decides back-office ones only (authorizePages.ts).
 */
// Literals under CONSOLE_AUTHORIZE_PATH (the modules import each other: no load-time use).
export const STOREFRONT_SIGN_IN_PATH = '/console/authorize/sign-in';
export const STOREFRONT_DECISION_PATH = '/console/authorize/decision';
/** Both answer for themselves (sign-in CSRF; the authorize session and its CSRF token). */
export const STOREFRONT_AUTHORIZE_PATHS: ReadonlySet<string> = new Set([STOREFRONT_SIGN_IN_PATH, STOREFRONT_DECISION_PATH]);
export const STOREFRONT_SESSION_COOKIE = 'tollgate_storefront_authorize';

const INVALID_CREDENTIALS = 'Invalid username or password.';

function setStorefrontSessionCookie(ctx: Context, deps: ConsoleDeps, value: string, maxAgeSeconds: number): void {
  const parts = [`${STOREFRONT_SESSION_COOKIE}=${value}`, 'Path=/console/authorize', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (deps.secureCookies) parts.push('Secure');
  ctx.append('Set-Cookie', parts.join('; '));
}

/** The live authorize session; one a later credential change ended (userSessions.ts) is over. */
async function sessionOf(ctx: Context, deps: ConsoleDeps): Promise<AuthorizeSession | undefined> {
  const session = await deps.authorizeSessions.get(cookieOf(ctx, STOREFRONT_SESSION_COOKIE), deps.now().getTime());
  if (!session) return undefined;
  const user = deps.tokens.cache.user(session.userId);
  if (!user || isSessionEnded(user, session.authTime)) {
    await deps.authorizeSessions.delete(session.id);
    return undefined;
  }
  return session;
}

const approvingUser = (session: AuthorizeSession, application: ExistingApplication) => ({
  userId: session.userId,
  authTime: session.authTime,
  via: application.clientId,
});

/** GET /console/authorize for a storefront application: sign-in, then consent or the code. */
export async function continueStorefrontAuthorization(
  ctx: Context,
  deps: ConsoleDeps,
  id: string,
  pending: PendingAuthorization,
  application: ExistingApplication,
): Promise<void> {
  const session = await sessionOf(ctx, deps);
  if (!session) return showSignIn(ctx, deps, { context: await authorizationSignInContext(deps, id) });
  ctx.set('Content-Security-Policy', authorizationCsp(pending.redirectUri));
  if (refusal(deps, session, application)) {
    if (!(await takeAuthorization(ctx, deps, id, approvingUser(session, application)))) return;
    return respond(ctx, deps, pending, { error: 'access_denied', error_description: 'the user may not use this application' });
  }
  return approveOrAskConsent(ctx, deps, {
    id,
    user: approvingUser(session, application),
    application,
    pending,
    form: { csrf: session.csrfToken, action: STOREFRONT_DECISION_PATH },
  });
}

const forbidden = (ctx: Context, deps: ConsoleDeps, message: string) =>
  renderPage(ctx, deps, 'error', { title: 'Forbidden', heading: 'This form cannot be accepted', message }, 403);

export function registerStorefrontAuthorizePages(router: Router, deps: ConsoleDeps): void {
  router.post(STOREFRONT_SIGN_IN_PATH, async (ctx) => {
    const form = await readForm(ctx);
    if (!deps.signInCsrf.verify(cookieOf(ctx, SIGN_IN_COOKIE), form.get('_csrf') ?? undefined)) {
      return forbidden(ctx, deps, 'The sign-in form has expired or was not sent from this page. Return to the application and start again.');
    }
    // Only the id of a parked request: the application and destination are the server's.
    const context = await authorizationSignInContext(deps, form.get('continue') ?? undefined);
    if (!context || !context.application.frontend || context.application.status !== 'Active') {
      return untrustedPage(ctx, deps, 'This sign-in request has expired or is unknown. Return to the application and start again.');
    }
    const username = field(form, 'username');
    const password = form.get('password') ?? '';
    if (username === '' || password === '') return showSignIn(ctx, deps, { status: 400, error: 'Enter your username and password.', username, context });
    if (!deps.tokens.keys.signingKey) return showSignIn(ctx, deps, { status: 503, error: 'Signing in is not possible right now.', username, context });
    const request = requestInfoOf(ctx);
    const now = deps.now();
    let user;
    try {
      user = await authenticateResourceOwner(deps.tokens, { application: context.application, username, password, request, now });
    } catch (error) {
      if (!(error instanceof InvalidGrant)) throw error;
      return showSignIn(ctx, deps, { status: 401, error: INVALID_CREDENTIALS, username, context });
    }
    const { userId } = user;
    // Dated as the password grant dates its sessions, so a later credential change ends it.
    const session = await deps.authorizeSessions.create(userId, sessionStartSeconds(user, now), now.getTime());
    const result = await deps.tokens.commands.handle(userDecider, toUserStreamName(userId), {
      type: 'RecordSignIn',
      data: { userId, via: 'authorize' },
      metadata: consoleUserMetadata(userId, request, now, context.application.clientId),
    } satisfies RecordSignIn);
    await deps.tokens.cache.applyAppended(result.events);
    setCookie(ctx, deps, SIGN_IN_COOKIE, '', 0);
    setStorefrontSessionCookie(ctx, deps, session.id, deps.authorizeSessions.limits.maxAgeSeconds);
    ctx.set('Content-Security-Policy', context.csp);
    redirect(ctx, `${CONSOLE_AUTHORIZE_PATH}?request=${encodeURIComponent(context.continueTo)}`);
  });

  router.post(STOREFRONT_DECISION_PATH, async (ctx) => {
    const form = await readForm(ctx);
    const session = await sessionOf(ctx, deps);
    if (!session || !sameToken(form.get('_csrf') ?? undefined, session.csrfToken)) {
      return forbidden(ctx, deps, 'The form was not sent from this sign-in (its security token is missing or wrong). Return to the application and start again.');
    }
    const found = await resumeAuthorization(ctx, deps, form.get('request') ?? undefined, { userId: session.userId, authTime: session.authTime });
    if (!found) return;
    const { pending, application } = found;
    if (form.get('decision') !== 'grant') {
      return respond(ctx, deps, pending, { error: 'access_denied', error_description: 'the user denied the request' });
    }
    // An authorize session decides for storefront applications only, and the user must still pass.
    if (!application.frontend || refusal(deps, session, application)) {
      return respond(ctx, deps, pending, { error: 'access_denied', error_description: 'the user may not use this application' });
    }
    await approve(ctx, deps, approvingUser(session, application), application, pending);
  });
}
