import { chainIncludes } from '../domain/shared/chain.js';
import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import { refreshTokenFamilyDecider, type RefreshTokenFamilyState } from '../domain/tokens/refreshTokenFamilyDecider.js';
import type { RefreshTokenFamilyEvent } from '../domain/tokens/tokenEvents.js';
import { toRefreshTokenFamilyStreamName } from '../domain/shared/streamNames.js';
import { isSessionEnded } from '../domain/user/userSessions.js';
import { AccessTokenInvalid, type AccessTokenPayload } from './accessTokenVerifier.js';
import { familyIdOf, hashRefreshToken } from './refreshTokens.js';
import { isApplicationUsable, subjectProblem } from './subjectChecks.js';
import type { TokenServiceDeps } from './tokenServiceDeps.js';

/**
 * Whether a presented token still counts, as introspection, revocation and the admin API
 * see it. An access token counts while its signature, issuer and expiry hold, its jti is not
 * revoked, its application is active and its user may still act. A refresh token counts while
 * it is its family's current token, unexpired, and the family is not revoked. Either ends with
 * its session when it belongs to one (`auth_time`, userSessions.ts): a password change,
 * disabling, a lock or removal from an organization after the sign-in.
 */
export interface LiveAccessToken {
  kind: 'access_token';
  payload: AccessTokenPayload;
  application: ExistingApplication;
}

export async function liveAccessToken(
  deps: TokenServiceDeps,
  token: string,
  audience?: string,
): Promise<LiveAccessToken | undefined> {
  let payload: AccessTokenPayload;
  try {
    payload = await deps.verifyAccessToken(token, audience);
  } catch (error) {
    if (error instanceof AccessTokenInvalid) return undefined;
    throw error;
  }
  if (deps.cache.isRevoked(payload.jti)) return undefined;
  const application = await deps.cache.findApplicationByClientId(payload.client_id);
  if (!application || !isApplicationUsable(application)) return undefined;
  const user = deps.cache.user(payload.sub);
  if (!user || subjectProblem(user, application, deps.cache) !== undefined) return undefined;
  if (payload.auth_time !== undefined && isSessionEnded(user, payload.auth_time)) return undefined;
  return { kind: 'access_token', payload, application };
}

export type ActiveFamily = Exclude<RefreshTokenFamilyState, { status: 'Empty' }>;

export interface PresentedRefreshToken {
  family: ActiveFamily;
  /** The family's current token (false: an earlier, already rotated one). */
  current: boolean;
}

/** The family a refresh token belongs to, if the token is one of its own (current or rotated). */
export async function refreshTokenFamily(
  deps: TokenServiceDeps,
  token: string,
): Promise<PresentedRefreshToken | undefined> {
  const familyId = familyIdOf(token);
  if (familyId === undefined) return undefined;
  const events = await deps.store.readStream(toRefreshTokenFamilyStreamName(familyId));
  const state = events.reduce(
    (s, e) => refreshTokenFamilyDecider.evolve(s, e as unknown as RefreshTokenFamilyEvent),
    refreshTokenFamilyDecider.initialState(),
  );
  if (state.status === 'Empty') return undefined;
  const hash = hashRefreshToken(token);
  if (state.currentTokenHash === hash) return { family: state, current: true };
  if (chainIncludes(state.usedTokenHashes, hash)) return { family: state, current: false };
  return undefined;
}

export function isRefreshTokenLive(deps: TokenServiceDeps, presented: PresentedRefreshToken, now: Date): boolean {
  const { family, current } = presented;
  if (!current || family.status !== 'Active' || Date.parse(family.expiresAt) <= now.getTime()) return false;
  const application = deps.cache.application(family.applicationId);
  if (!application || !isApplicationUsable(application)) return false;
  const user = deps.cache.user(family.userId);
  return !!user && subjectProblem(user, application, deps.cache) === undefined && !isSessionEnded(user, family.authTime);
}
