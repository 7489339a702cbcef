import { InvalidGrant } from '../oauthErrors.js';
import { audiencesOf, issueAccessToken } from '../issueAccessToken.js';
import { grantedScope, requestedScope, scopeString } from '../scope.js';
import { subjectProblem } from '../subjectChecks.js';
import { tokenResponse } from '../tokenResponse.js';
import type { GrantHandler } from './grantRequest.js';

/**
 * client_credentials: the token acts as the application's owner (`sub`), who must still be
 * able to act (enabled, unlocked, of the application's side and organization). No refresh token.
 */
export const clientCredentialsGrant: GrantHandler = async (deps, { params, application, secretIndex, request, now }) => {
  const scope = scopeString(grantedScope(requestedScope(params), application.scopes));
  const ownerId = application.ownerUserId;
  if (ownerId === null || subjectProblem(deps.cache.user(ownerId), application, deps.cache) !== undefined) {
    throw new InvalidGrant("the application's owner may not obtain tokens");
  }
  const aud = audiencesOf(deps, application, 'client_credentials');
  const accessToken = await issueAccessToken(deps, {
    application,
    sub: ownerId,
    aud,
    scope,
    grant: 'client_credentials',
    secretIndex,
    request,
    now,
  });
  return tokenResponse(accessToken, scope);
};
