import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { ExistingApplication } from '../../domain/application/applicationEvents.js';
import { consentCovers } from '../../domain/authorization/consentDecider.js';
import { isRegisteredRedirectUri } from '../../domain/application/redirectUris.js';
import { consoleUserMetadata } from '../../tokens/requestInfo.js';
import { issueAuthorizationCode } from '../../tokens/authorize/authorizationCodes.js';
import {
  AuthorizationRequestError,
  authorizationResponseUrl,
  parseAuthorizationRequest,
  UntrustedAuthorizationRequest,
  type AuthorizationErrorCode,
} from '../../tokens/authorize/authorizationRequest.js';
import { grantConsent, loadConsents } from '../../tokens/authorize/consents.js';
import type { PendingAuthorization } from '../../tokens/authorize/pendingAuthorizations.js';
import { AUTHORIZE_PATH } from '../../tokens/metadata.js';
import { isApplicationUsable, subjectProblem } from '../../tokens/subjectChecks.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { CONSOLE_CSP, consoleStateOf, cookieOf, redirect, renderPage, requestInfoOf, SESSION_COOKIE } from '../consoleHttp.js';
import { formOf } from '../consoleRouter.js';
import { showSignIn } from './signInPages.js';
import { grantAudiences } from '../../authorization/apiAudiencePolicy.js';
import { continueStorefrontAuthorization, STOREFRONT_SIGN_IN_PATH } from './storefrontAuthorizePages.js';

/**
 * The authorization endpoint's pages (RFC 6749 §4.1): GET /oauth2-token/authorize checks the
 * request and parks it server-side; /console/authorize signs the user in with the console's
 * sign-in page and session, applies the subject check of every grant, and asks for consent
 * (Oro's page) unless it is remembered or the application skips it. The code goes to the
 * registered redirect URI only; the client and redirect URI errors are pages.
 */
export const CONSOLE_AUTHORIZE_PATH = '/console/authorize';

/**
 * The console's session cookie is SameSite=Strict, so a browser arriving from a client on
 * another site does not send it, and the user would sign in on every visit. This second
 * cookie holds the same session id, SameSite=Lax and scoped to GET /console/authorize only:
 * there it can only send a code to a registered redirect URI of an application the user
 * already consented to (or one that skips consent), as every OAuth server's session cookie
 * does. Everything else, the consent POST included, still needs the Strict cookie and the
 * CSRF token.
 */
export const AUTHORIZE_SESSION_COOKIE = 'tollgate_authorize';

export function setAuthorizationSessionCookie(ctx: Context, deps: Pick<ConsoleDeps, 'secureCookies'>, value: string, maxAgeSeconds?: number): void {
  const parts = [`${AUTHORIZE_SESSION_COOKIE}=${value}`, `Path=${CONSOLE_AUTHORIZE_PATH}`, 'HttpOnly', 'SameSite=Lax'];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (deps.secureCookies) parts.push('Secure');
  ctx.append('Set-Cookie', parts.join('; '));
}

const continueUrl = (id: string): string => `${CONSOLE_AUTHORIZE_PATH}?request=${encodeURIComponent(id)}`;

/**
 * Chromium applies form-action to the redirects that follow a form POST, so the pages whose
 * form ends at the client (sign-in, consent) allow its redirect URI's origin.
 */
export const authorizationCsp = (redirectUri: string): string =>
  CONSOLE_CSP.replace("form-action 'self'", `form-action 'self' ${new URL(redirectUri).origin}`);

export const untrustedPage = (ctx: Context, deps: ConsoleDeps, message: string, status = 400) =>
  renderPage(ctx, deps, 'error', { title: 'Sign-in request refused', heading: 'This sign-in request cannot be accepted', message }, status);

export function respond(ctx: Context, deps: ConsoleDeps, pending: Pick<PendingAuthorization, 'redirectUri' | 'state'>, params: { code: string } | { error: AuthorizationErrorCode; error_description: string }): void {
  redirect(ctx, authorizationResponseUrl(pending.redirectUri, deps.tokens.settings.issuer, params, pending.state));
}

/** The sign-in page's context when it continues an authorization request. */
export async function authorizationSignInContext(
  deps: ConsoleDeps,
  id: string | undefined,
): Promise<{ continueTo: string; prompt: string; csp: string; action?: string; application: ExistingApplication } | undefined> {
  const pending = await deps.authorizations.get(id, deps.now().getTime());
  const app = pending && (await applicationOf(deps, pending));
  if (!pending || !app) return undefined;
  return {
    continueTo: id!,
    prompt: `Sign in to continue to "${app.name}".`,
    csp: authorizationCsp(pending.redirectUri),
    // A storefront application's users are customers: its own sign-in, never the console's.
    ...(app.frontend && { action: STOREFRONT_SIGN_IN_PATH }),
    application: app,
  };
}

export function registerAuthorizePages(router: Router, deps: ConsoleDeps): void {
  const { tokens } = deps;

  router.get(AUTHORIZE_PATH, async (ctx) => {
    let request;
    try {
      request = await parseAuthorizationRequest(new URLSearchParams(ctx.querystring), tokens.cache);
    } catch (error) {
      if (error instanceof UntrustedAuthorizationRequest) return untrustedPage(ctx, deps, error.message);
      if (error instanceof AuthorizationRequestError) return respond(ctx, deps, error, { error: error.error, error_description: error.description });
      throw error;
    }
    const id = await deps.authorizations.put(request, deps.now().getTime());
    if (id === undefined) {
      return respond(ctx, deps, request, { error: 'temporarily_unavailable', error_description: 'signing keys are not configured' });
    }
    redirect(ctx, continueUrl(id));
  });

  router.get(CONSOLE_AUTHORIZE_PATH, async (ctx) => {
    const id = typeof ctx.query.request === 'string' ? ctx.query.request : undefined;
    const found = await resumeAuthorization(ctx, deps, id);
    if (!found) return;
    const { pending, application } = found;
    // Storefront applications: their customers' authorize-only session, never the console's.
    if (application.frontend) return continueStorefrontAuthorization(ctx, deps, id!, pending, application);
    const sessionId = cookieOf(ctx, SESSION_COOKIE) ?? cookieOf(ctx, AUTHORIZE_SESSION_COOKIE);
    const { session, expired } = await deps.sessions.get(sessionId, deps.now().getTime());
    if (expired) await deps.authority.signOut(expired, requestInfoOf(ctx), 'expired');
    const principal = session ? await deps.authority.authenticate(session, requestInfoOf(ctx)) : undefined;
    if (!session || !principal) return showSignIn(ctx, deps, { context: await authorizationSignInContext(deps, id) });
    ctx.state.console = { session, principal };
    ctx.set('Content-Security-Policy', authorizationCsp(pending.redirectUri));
    if (refusal(deps, principal, application)) {
      if (!(await takeAuthorization(ctx, deps, id!, signedInUserOf(ctx)))) return;
      return respond(ctx, deps, pending, { error: 'access_denied', error_description: 'the user may not use this application' });
    }
    return approveOrAskConsent(ctx, deps, { id: id!, user: signedInUserOf(ctx), application, pending });
  });

  // Under the console's session and CSRF checks (a POST): Grant or Cancel, once.
  router.post(CONSOLE_AUTHORIZE_PATH, async (ctx) => {
    const form = formOf(ctx);
    const found = await resumeAuthorization(ctx, deps, form.get('request') ?? undefined, signedInUserOf(ctx));
    if (!found) return;
    const { pending, application } = found;
    const { principal } = consoleStateOf(ctx);
    // The console's session decides for back-office applications only.
    if (application.frontend) {
      return respond(ctx, deps, pending, { error: 'access_denied', error_description: 'the user may not use this application' });
    }
    if (form.get('decision') !== 'grant') {
      return respond(ctx, deps, pending, { error: 'access_denied', error_description: 'the user denied the request' });
    }
    if (refusal(deps, principal, application)) {
      return respond(ctx, deps, pending, { error: 'access_denied', error_description: 'the user may not use this application' });
    }
    await approve(ctx, deps, signedInUserOf(ctx), application, pending);
  });
}

/** The request's application (found on any node: a client id not seen yet makes the cache catch up). */
async function applicationOf(deps: ConsoleDeps, pending: PendingAuthorization): Promise<ExistingApplication | undefined> {
  const application = await deps.tokens.cache.findApplicationByClientId(pending.clientId);
  return application?.applicationId === pending.applicationId ? application : undefined;
}

const UNKNOWN_REQUEST = 'This sign-in request has expired, was already used or is unknown. Return to the application and start again.';

/**
 * The parked request and its application, validated again: still active, still an
 * authorization_code client, the redirect URI still registered (else a page, never a redirect
 * to it). With `taker`, the request is also taken (single use, on any node). Otherwise a page,
 * and undefined.
 */
export async function resumeAuthorization(ctx: Context, deps: ConsoleDeps, id: string | undefined, taker?: ApprovingUser) {
  const now = deps.now();
  const pending = taker
    ? await deps.authorizations.take(id, now.getTime(), consoleUserMetadata(taker.userId, requestInfoOf(ctx), now, taker.via))
    : await deps.authorizations.get(id, now.getTime());
  const application = pending && (await applicationOf(deps, pending));
  if (!pending || !application) {
    await untrustedPage(ctx, deps, UNKNOWN_REQUEST);
    return undefined;
  }
  if (!isApplicationUsable(application) || !application.grants.includes('authorization_code')) {
    await untrustedPage(ctx, deps, 'The application is no longer active.');
    return undefined;
  }
  if (!isRegisteredRedirectUri(application.redirectUris, pending.redirectUri)) {
    await untrustedPage(ctx, deps, 'The redirect URI of this request is no longer registered for the application.');
    return undefined;
  }
  return { pending, application };
}

/** Takes a request the page goes on with without a form (automatic approval, refusal); false: a page was shown. */
export async function takeAuthorization(ctx: Context, deps: ConsoleDeps, id: string, taker: ApprovingUser): Promise<boolean> {
  const now = deps.now();
  const taken = await deps.authorizations.take(id, now.getTime(), consoleUserMetadata(taker.userId, requestInfoOf(ctx), now, taker.via));
  if (!taken) await untrustedPage(ctx, deps, UNKNOWN_REQUEST);
  return taken !== undefined;
}

/**
 * After sign-in, for the console's and the storefront's sessions alike: a remembered consent
 * (or an application that skips consent) approves at once, taking the request once; otherwise
 * Oro's consent page. `form`: the storefront session's own CSRF token and decision path (the
 * console's page uses the console session's).
 */
export async function approveOrAskConsent(
  ctx: Context,
  deps: ConsoleDeps,
  input: { id: string; user: ApprovingUser; application: ExistingApplication; pending: PendingAuthorization; form?: { csrf: string; action: string } },
): Promise<void> {
  const { id, user, application, pending } = input;
  const consents = await loadConsents(deps.tokens, user.userId);
  if (application.skipConsent || consentCovers(consents, application.applicationId, pending.scopes)) {
    if (!(await takeAuthorization(ctx, deps, id, user))) return;
    return approve(ctx, deps, user, application, pending);
  }
  await renderPage(ctx, deps, 'authorizeConsent', {
    title: 'Authorize',
    application: { name: application.name },
    resources: resourcesOf(deps, application),
    scopes: pending.scopes,
    request: id,
    ...(input.form ?? {}),
  });
}

/** Who approves: the user and when they signed in (the codes' auth_time). */
export interface ApprovingUser {
  userId: string;
  /** The sign-in, seconds since the epoch (the codes' and tokens' auth_time). */
  authTime: number;
  /** The events' `via`: the console (default) or, for a storefront user, the application's client id. */
  via?: string;
}

const signedInUserOf = (ctx: Context): ApprovingUser => {
  const { principal, session } = consoleStateOf(ctx);
  return { userId: principal.userId, authTime: Math.floor(session.createdAt / 1000) };
};

/** The subject check of every grant (src/tokens/subjectChecks.ts), on the signed-in user. */
export const refusal = (deps: ConsoleDeps, user: { userId: string }, application: ExistingApplication) =>
  subjectProblem(deps.tokens.cache.user(user.userId), application, deps.tokens.cache);

export const resourcesOf = (deps: ConsoleDeps, application: ExistingApplication) => {
  const audiences = grantAudiences(deps.catalog, application, 'authorization_code');
  return deps.catalog.entries.filter((e) => audiences.includes(e.audience)).map((e) => e.name);
};

export async function approve(ctx: Context, deps: ConsoleDeps, user: ApprovingUser, application: ExistingApplication, pending: PendingAuthorization): Promise<void> {
  const now = deps.now();
  const request = requestInfoOf(ctx);
  const metadata = consoleUserMetadata(user.userId, request, now, user.via);
  await grantConsent(deps.tokens, { userId: user.userId, application, scopes: pending.scopes, automatic: application.skipConsent }, metadata);
  const code = await issueAuthorizationCode(
    deps.tokens,
    {
      application,
      userId: user.userId,
      redirectUri: pending.redirectUri,
      redirectUriGiven: pending.redirectUriGiven,
      codeChallenge: pending.codeChallenge,
      scope: pending.scopes.join(' '),
      authTime: user.authTime,
      ...(user.via !== undefined && { via: user.via }),
    },
    request,
    now,
  );
  respond(ctx, deps, pending, { code });
}
