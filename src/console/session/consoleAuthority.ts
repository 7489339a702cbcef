import type { Principal } from '../../authorization/principal.js';
import { CONSOLE_APPLICATION_ID } from '../../domain/application/consoleClient.js';
import type { CommandMetadata } from '../../domain/shared/event.js';
import { toUserStreamName } from '../../domain/shared/streamNames.js';
import type { RecordSignIn, RecordSignOut } from '../../domain/user/userCommands.js';
import { userDecider } from '../../domain/user/userDecider.js';
import type { SignOutReason } from '../../domain/user/userEvents.js';
import { BearerAuthError, type BearerAuthenticator } from '../../tokens/bearerAuth.js';
import { passwordGrant } from '../../tokens/grants/passwordGrant.js';
import { refreshTokenGrant } from '../../tokens/grants/refreshTokenGrant.js';
import { OAuthError } from '../../tokens/oauthErrors.js';
import { familyIdOf } from '../../tokens/refreshTokens.js';
import { consoleUserMetadata, type RequestInfo } from '../../tokens/requestInfo.js';
import { revokeRefreshTokenFamily } from '../../tokens/revocation.js';
import { isApplicationUsable } from '../../tokens/subjectChecks.js';
import type { TokenResponse } from '../../tokens/tokenResponse.js';
import type { TokenServiceDeps } from '../../tokens/tokenServiceDeps.js';
import type { ConsoleSession, SessionStore } from './sessionStore.js';

/** Refresh this long before the access token expires, so a request never races its expiry. */
const REFRESH_AHEAD_MS = 10_000;

export class SignInRefused extends Error {
  constructor(readonly reason: 'credentials' | 'unavailable') {
    super(reason === 'credentials' ? 'Invalid username or password.' : 'Signing in is not possible right now.');
  }
}

/**
 * The console's sessions as a first-party OAuth client (Keycloak's admin console): sign-in is
 * the password grant run in process with the console's client (the same password checks,
 * lockout and events); the session holds that client's tokens; every request authenticates
 * with the access token through the admin API's bearer checks, refreshing it when it is about
 * to expire. Whatever those checks refuse (user disabled or locked, application inactive,
 * tokens revoked) ends the session.
 */
export interface ConsoleAuthority {
  signIn(username: string, password: string, request: RequestInfo): Promise<ConsoleSession>;
  /** The session's caller, or undefined when the session must end (it is then ended). */
  authenticate(session: ConsoleSession, request: RequestInfo): Promise<Principal | undefined>;
  signOut(session: ConsoleSession, request: RequestInfo, reason: SignOutReason): Promise<void>;
}

export function createConsoleAuthority(deps: {
  tokens: TokenServiceDeps;
  authenticateBearer: BearerAuthenticator;
  sessions: SessionStore;
}): ConsoleAuthority {
  const { tokens, sessions } = deps;
  const consoleClient = async () => {
    const app = tokens.cache.application(CONSOLE_APPLICATION_ID);
    if (app) return app;
    await tokens.cache.catchUp();
    return tokens.cache.application(CONSOLE_APPLICATION_ID);
  };
  const expiresAt = (response: TokenResponse, now: Date): number => now.getTime() + response.expires_in * 1000;
  const record = async (userId: string, command: RecordSignIn | RecordSignOut): Promise<void> => {
    const result = await tokens.commands.handle(userDecider, toUserStreamName(userId), command);
    await tokens.cache.applyAppended(result.events);
  };
  const metadata = consoleUserMetadata;

  const end = async (session: ConsoleSession, request: RequestInfo, reason: SignOutReason): Promise<void> => {
    await sessions.delete(session);
    const now = tokens.now();
    const app = tokens.cache.application(CONSOLE_APPLICATION_ID);
    const familyId = session.refreshToken ? familyIdOf(session.refreshToken) : undefined;
    if (app && familyId) await revokeRefreshTokenFamily(tokens, { familyId, application: app, request, now });
    await record(session.userId, {
      type: 'RecordSignOut',
      data: { userId: session.userId, via: 'console', reason },
      metadata: metadata(session.userId, request, now),
    }).catch(() => undefined); // a user who no longer exists has no history to write to
  };

  /**
   * Two requests of one session must not both present its refresh token (the second would be
   * a reuse, which revokes the family and ends the session): a request first takes tokens
   * another request stored since it read the session (any node); on this node one refresh per
   * session runs at a time and the requests waiting for it take its tokens.
   */
  const refreshing = new Map<string, Promise<Pick<ConsoleSession, 'accessToken' | 'accessTokenExpiresAt' | 'refreshToken'> | undefined>>();
  const refresh = async (session: ConsoleSession, request: RequestInfo): Promise<boolean> => {
    if ((await sessions.reloadTokens(session)) && !needsRefresh(session)) return true;
    let pending = refreshing.get(session.id);
    if (!pending) {
      pending = grantRefresh(session, request).finally(() => refreshing.delete(session.id));
      refreshing.set(session.id, pending);
    }
    const tokens = await pending;
    if (!tokens) return false;
    Object.assign(session, tokens);
    return true;
  };
  const grantRefresh = async (session: ConsoleSession, request: RequestInfo) => {
    const app = await consoleClient();
    if (!session.refreshToken || !isApplicationUsable(app)) return undefined;
    const now = tokens.now();
    let response: TokenResponse;
    try {
      response = await refreshTokenGrant(tokens, {
        params: { grant_type: 'refresh_token', refresh_token: session.refreshToken },
        application: app!,
        request,
        now,
      });
    } catch (error) {
      if (error instanceof OAuthError) return undefined;
      throw error;
    }
    session.accessToken = response.access_token;
    session.accessTokenExpiresAt = expiresAt(response, now);
    session.refreshToken = response.refresh_token ?? session.refreshToken;
    // Stored at once, not at the end of the request: a request of the same session starting
    // meanwhile (another tab, another node) takes these instead of the refresh token just used.
    if (!(await sessions.saveTokens(session))) return undefined; // signed out meanwhile
    return { accessToken: session.accessToken, accessTokenExpiresAt: session.accessTokenExpiresAt, refreshToken: session.refreshToken };
  };
  const needsRefresh = (session: ConsoleSession): boolean => tokens.now().getTime() >= session.accessTokenExpiresAt - REFRESH_AHEAD_MS;

  return {
    async signIn(username, password, request) {
      const app = await consoleClient();
      if (!isApplicationUsable(app) || !tokens.keys.signingKey) throw new SignInRefused('unavailable');
      const now = tokens.now();
      let response: TokenResponse;
      try {
        response = await passwordGrant(tokens, {
          params: { grant_type: 'password', username, password },
          application: app!,
          request,
          now,
        });
      } catch (error) {
        if (error instanceof OAuthError) throw new SignInRefused(error.statusCode >= 500 ? 'unavailable' : 'credentials');
        throw error;
      }
      // The bearer checks decide who may use the console (back-office users only).
      let principal: Principal;
      try {
        principal = await deps.authenticateBearer(`Bearer ${response.access_token}`);
      } catch (error) {
        if (!(error instanceof BearerAuthError)) throw error;
        throw new SignInRefused('credentials');
      }
      const session = await sessions.create(
        {
          userId: principal.userId,
          accessToken: response.access_token,
          accessTokenExpiresAt: expiresAt(response, now),
          ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
        },
        now.getTime(),
      );
      await record(principal.userId, {
        type: 'RecordSignIn',
        data: { userId: principal.userId, via: 'console' },
        metadata: metadata(principal.userId, request, now),
      });
      return session;
    },

    async authenticate(session, request) {
      if (needsRefresh(session) && !(await refresh(session, request))) {
        await end(session, request, 'expired');
        return undefined;
      }
      try {
        return await deps.authenticateBearer(`Bearer ${session.accessToken}`);
      } catch (error) {
        if (!(error instanceof BearerAuthError)) throw error;
        await end(session, request, 'refused');
        return undefined;
      }
    },

    signOut: end,
  };
}
