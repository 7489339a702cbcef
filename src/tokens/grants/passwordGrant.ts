import { sessionStartSeconds } from '../../domain/user/userSessions.js';
import { InvalidRequest } from '../oauthErrors.js';
import { audiencesOf, issueAccessToken } from '../issueAccessToken.js';
import { authenticateResourceOwner } from '../passwordSignIn.js';
import { startRefreshTokenFamily } from '../refreshTokens.js';
import { grantedScope, requestedScope, scopeString } from '../scope.js';
import { tokenResponse } from '../tokenResponse.js';
import type { GrantHandler } from './grantRequest.js';

/**
 * password: the resource owner signs in (passwordSignIn.ts: who may, what is counted, one
 * answer for every refusal); the tokens start a session dated `auth_time`, which a later
 * password change, disabling, lock or removal from an organization ends (userSessions.ts).
 * Callable in-process by a first-party client (the console) with its application.
 */
export const passwordGrant: GrantHandler = async (deps, grant) => {
  const { params, application, request, now } = grant;
  const { username, password } = params;
  if (username === undefined) throw new InvalidRequest('username is required');
  if (password === undefined) throw new InvalidRequest('password is required');
  const requested = requestedScope(params);

  const user = await authenticateResourceOwner(deps, { application, username, password, request, now });
  const authTime = sessionStartSeconds(user, now);
  const scope = scopeString(grantedScope(requested, application.scopes));
  const aud = audiencesOf(deps, application, 'password');
  const accessToken = await issueAccessToken(deps, {
    application, sub: user.userId, aud, scope, grant: 'password', authTime, secretIndex: grant.secretIndex, request, now,
  });
  const refreshToken = deps.settings.refreshTokens
    ? await startRefreshTokenFamily(deps, {
        application, userId: user.userId, scope, aud, accessTokenJti: accessToken.jti, authTime, request, now,
      })
    : undefined;
  return tokenResponse(accessToken, scope, refreshToken);
};
