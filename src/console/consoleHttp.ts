import type { Context, Middleware } from 'koa';
import type { Principal } from '../authorization/principal.js';
import { isReadOnly, readsAsAdministrator } from '../authorization/readOnlyAccess.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { commandMetadata } from '../http/requestContext.js';
import type { RequestInfo } from '../tokens/requestInfo.js';
import type { ConsoleDeps } from './consoleDeps.js';
import type { ConsoleSession, Flash } from './session/sessionStore.js';
import { sameToken } from './csrf.js';

export const SESSION_COOKIE = 'tollgate_console';
export const SIGN_IN_COOKIE = 'tollgate_console_signin';

/** Pages run scripts and styles from /console/assets only; nothing may frame them. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

export function consoleHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set('Content-Security-Policy', CONSOLE_CSP);
    await next();
    if (!ctx.path.startsWith('/console/assets/')) ctx.set('Cache-Control', 'no-store');
  };
}

/** `HttpOnly; SameSite=Strict; Path=/console`, `Secure` for an https issuer; 0 s max age clears. */
export function setCookie(ctx: Context, deps: Pick<ConsoleDeps, 'secureCookies'>, name: string, value: string, maxAgeSeconds?: number): void {
  const parts = [`${name}=${value}`, 'Path=/console', 'HttpOnly', 'SameSite=Strict'];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (deps.secureCookies) parts.push('Secure');
  ctx.append('Set-Cookie', parts.join('; '));
}

export const cookieOf = (ctx: Context, name: string): string | undefined => {
  for (const part of (ctx.get('cookie') || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
};

export const requestInfoOf = (ctx: Context): RequestInfo => {
  const userAgent = ctx.get('user-agent');
  return {
    correlationId: (ctx.state.correlationId as string | undefined) ?? crypto.randomUUID(),
    ...(ctx.ip ? { ip: ctx.ip } : {}),
    ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
  };
};

export interface ConsoleState {
  session: ConsoleSession;
  principal: Principal;
}

export const consoleStateOf = (ctx: Context): ConsoleState => {
  const state = ctx.state.console as ConsoleState | undefined;
  if (!state) throw new Error('console route without a session');
  return state;
};

/** Every console action is recorded as the signed-in user, through the console. */
export function consoleMetadata(ctx: Context, deps: Pick<ConsoleDeps, 'now'>): CommandMetadata {
  const { principal } = consoleStateOf(ctx);
  return commandMetadata(ctx, { userId: principal.userId, via: 'console' }, deps.now());
}

export function flash(ctx: Context, kind: Flash['kind'], text: string): void {
  consoleStateOf(ctx).session.flashes.push({ kind, text });
}

export function redirect(ctx: Context, to: string): void {
  ctx.status = 303;
  ctx.redirect(to);
}

/** Renders a page of the signed-in console: layout model, flashes (consumed), CSRF token. */
export async function renderPage(
  ctx: Context,
  deps: ConsoleDeps,
  view: string,
  model: Record<string, unknown>,
  status = 200,
): Promise<void> {
  const state = ctx.state.console as ConsoleState | undefined;
  const flashes = state ? state.session.flashes.splice(0) : [];
  // The /admin/status warnings on every page, the sign-in page too (e.g. no signing keys).
  const warnings = (await deps.warnings().catch(() => [])).map((text) => ({
    text,
    // The failed-notifications warning links to the console's list of them.
    link: state && /notification\(s\) failed permanently/.test(text) ? '/console/notification-jobs' : undefined,
  }));
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = deps.render(view, {
    ...model,
    signedIn: state !== undefined,
    // An auditor (read-only) sees what an administrator sees, and no write buttons.
    me: state && {
      id: state.principal.userId,
      username: state.principal.username,
      admin: readsAsAdministrator(state.principal),
      readOnly: isReadOnly(state.principal),
    },
    csrf: state?.session.csrfToken ?? model.csrf,
    flashes,
    warnings,
  });
}

/** A POST's CSRF token must be the session's: 403 otherwise (nothing is changed). */
export function checkCsrf(ctx: Context, form: URLSearchParams): boolean {
  const { session } = consoleStateOf(ctx);
  return sameToken(form.get('_csrf') ?? undefined, session.csrfToken);
}
