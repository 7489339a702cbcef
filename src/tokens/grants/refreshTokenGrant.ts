import { randomUUID } from 'node:crypto';
import { isDomainError } from '../../domain/shared/domainError.js';
import { toRefreshTokenFamilyStreamName } from '../../domain/shared/streamNames.js';
import {
  refreshTokenFamilyDecider,
  type RefreshTokenFamilyState,
  type RotateRefreshToken,
} from '../../domain/tokens/refreshTokenFamilyDecider.js';
import type { RefreshTokenFamilyRevoked } from '../../domain/tokens/tokenEvents.js';
import { busyRetryLater, InvalidGrant, InvalidRequest } from '../oauthErrors.js';
import { audiencesOf, issueAccessToken } from '../issueAccessToken.js';
import {
  command,
  familyIdOf,
  hashRefreshToken,
  newRefreshToken,
} from '../refreshTokens.js';
import { clientMetadata } from '../requestInfo.js';
import { revokeRefreshTokenFamily } from '../revocation.js';
import { grantedScope, requestedScope, scopeString } from '../scope.js';
import { isSessionEnded } from '../../domain/user/userSessions.js';
import { subjectProblem } from '../subjectChecks.js';
import { tokenResponse } from '../tokenResponse.js';
import type { GrantHandler } from './grantRequest.js';
import { refreshTokenTtlOf } from '../tokenLifetimes.js';

/**
 * refresh_token: rotates. The family stream is appended at its expected revision, so of two
 * requests racing with one token exactly one rotates it; the other is decided again on the
 * new state, sees an already-rotated token and revokes the family (reuse detection), together
 * with every access token the family produced. A family whose session a credential change
 * ended (userSessions.ts) is refused like a revoked one, and its tokens carry its `auth_time`.
 */
const INVALID = 'the refresh token is invalid, expired or revoked';

export const refreshTokenGrant: GrantHandler = async (deps, { params, application, secretIndex, request, now }) => {
  const presented = params.refresh_token;
  if (presented === undefined) throw new InvalidRequest('refresh_token is required');
  const requested = requestedScope(params);
  const familyId = familyIdOf(presented);
  if (familyId === undefined) throw new InvalidGrant(INVALID, { detail: 'malformed refresh token' });
  let aud = audiencesOf(deps, application, 'refresh_token');
  if (deps.cache.isFamilyRevoked(familyId)) {
    // Issued from a replayed authorization code: revoked now if the replay's own write of it was lost.
    await revokeRefreshTokenFamily(deps, { familyId, application, request, now }).catch((error: unknown) => {
      if (!isDomainError(error)) throw error;
    });
    throw new InvalidGrant(INVALID, { detail: 'issued from a replayed authorization code' });
  }

  const token = newRefreshToken(familyId);
  const jti = randomUUID();
  const expiresAt = new Date(now.getTime() + refreshTokenTtlOf(deps.settings, application) * 1000).toISOString();
  const presentedTokenHash = hashRefreshToken(presented);
  let scope = '';
  let authTime: number | undefined;
  const rotation = (state: RefreshTokenFamilyState): RotateRefreshToken => {
    // A user who may no longer act gets nothing, and the token is not rotated either.
    const ownFamily = state.status === 'Active' && state.applicationId === application.applicationId;
    if (ownFamily) {
      const user = deps.cache.user(state.userId);
      if (!user || subjectProblem(user, application, deps.cache) !== undefined || isSessionEnded(user, state.authTime)) {
        throw new InvalidGrant(INVALID);
      }
      authTime = state.authTime;
      aud = audiencesOf(deps, application, 'refresh_token', state.aud);
      // Checked before rotating: a refused scope must not cost the client its refresh token.
      const allowed = state.scope.split(' ').filter((s) => s !== '' && application.scopes.includes(s));
      scope = scopeString(grantedScope(requested, allowed));
    }
    return command<RotateRefreshToken>(
      'RotateRefreshToken',
      {
        familyId,
        applicationId: application.applicationId,
        presentedTokenHash,
        tokenHash: hashRefreshToken(token),
        expiresAt,
        accessTokenJti: jti,
      },
      clientMetadata(application, request, now),
    );
  };
  let result;
  try {
    result = await deps.commands.handle(refreshTokenFamilyDecider, toRefreshTokenFamilyStreamName(familyId), rotation);
  } catch (error) {
    if (isDomainError(error) && error.code === 'CONFLICT') throw busyRetryLater('refresh token rotation kept conflicting', error);
    if (isDomainError(error)) throw new InvalidGrant(INVALID, { detail: `rotation refused: ${error.code}`, cause: error });
    throw error;
  }
  const revocation = result.events.find((e) => e.type === 'RefreshTokenFamilyRevoked');
  if (revocation) {
    const { accessTokenJtis } = revocation.data as RefreshTokenFamilyRevoked['data'];
    const revokedTokens = await deps.audit.revoked(
      application,
      accessTokenJtis.map((j) => ({ jti: j })),
      'refreshTokenReuse',
      request,
      now,
    );
    await deps.cache.applyAppended([...result.events, ...revokedTokens]);
    throw new InvalidGrant(INVALID, { detail: 'refresh token reused: family revoked' });
  }
  const family = result.state;
  if (family.status !== 'Active') throw new InvalidGrant(INVALID);
  const accessToken = await issueAccessToken(deps, {
    application, sub: family.userId, aud, scope, grant: 'refresh_token', familyId, jti, authTime, secretIndex, request, now,
  });
  return tokenResponse(accessToken, scope, token);
};
