import { toUserStreamName } from '../../domain/shared/streamNames.js';
import { userDecider, type RegisteredUser } from '../../domain/user/userDecider.js';
import type { RecordLoginFailure, RecordLoginSuccess } from '../../domain/user/userCommands.js';
import { dummyPasswordVerify, verifyPassword } from '../../security/passwordHash.js';
import { InvalidGrant, InvalidRequest } from '../oauthErrors.js';
import { audiencesOf, issueAccessToken } from '../issueAccessToken.js';
import { command, startRefreshTokenFamily } from '../refreshTokens.js';
import { clientMetadata } from '../requestInfo.js';
import { grantedScope, requestedScope, scopeString } from '../scope.js';
import { subjectProblem } from '../subjectChecks.js';
import { tokenResponse } from '../tokenResponse.js';
import type { TokenServiceDeps } from '../tokenServiceDeps.js';
import type { GrantHandler, GrantRequest } from './grantRequest.js';

/**
 * password: the user's credentials checked with scrypt. Unknown user, wrong password, locked
 * or disabled account all answer the same invalid_grant after the same work. A wrong password
 * is recorded on the user's stream; LOGIN_FAILURE_LIMIT consecutive failures lock the account
 * (the user decider decides both in one step).
 */
const BAD_CREDENTIALS = 'the resource owner credentials are invalid';

export const passwordGrant: GrantHandler = async (deps, grant) => {
  const { params, application, request, now } = grant;
  const { username, password } = params;
  if (username === undefined) throw new InvalidRequest('username is required');
  if (password === undefined) throw new InvalidRequest('password is required');
  const requested = requestedScope(params);

  const user = await deps.cache.findUserByUsername(username);
  if (!user) {
    await dummyPasswordVerify(password);
    throw new InvalidGrant(BAD_CREDENTIALS, { detail: 'unknown username' });
  }
  const verified = await verifyPassword(password, user.passwordHash);
  if (!user.enabled || user.locked) throw new InvalidGrant(BAD_CREDENTIALS, { detail: user.locked ? 'user locked' : 'user disabled' });
  if (!verified) {
    await recordFailure(deps, grant, user);
    throw new InvalidGrant(BAD_CREDENTIALS, { detail: 'wrong password' });
  }
  if (user.loginFailures > 0) await recordSuccess(deps, grant, user);
  if (subjectProblem(user, application, deps.cache) !== undefined) {
    throw new InvalidGrant('the user may not obtain tokens for this application');
  }

  const scope = scopeString(grantedScope(requested, application.scopes));
  const aud = audiencesOf(deps, application);
  const accessToken = await issueAccessToken(deps, {
    application, sub: user.userId, aud, scope, grant: 'password', request, now,
  });
  const refreshToken = deps.settings.refreshTokens
    ? await startRefreshTokenFamily(deps, {
        application, userId: user.userId, scope, aud, accessTokenJti: accessToken.jti, request, now,
      })
    : undefined;
  return tokenResponse(accessToken, scope, refreshToken);
};

async function recordFailure(deps: TokenServiceDeps, grant: GrantRequest, user: RegisteredUser): Promise<void> {
  const result = await deps.commands.handle(
    userDecider,
    toUserStreamName(user.userId),
    command<RecordLoginFailure>(
      'RecordLoginFailure',
      { userId: user.userId, limit: deps.settings.loginFailureLimit },
      clientMetadata(grant.application, grant.request, grant.now),
    ),
  );
  await deps.cache.applyAppended(result.events);
}

async function recordSuccess(deps: TokenServiceDeps, grant: GrantRequest, user: RegisteredUser): Promise<void> {
  const result = await deps.commands.handle(
    userDecider,
    toUserStreamName(user.userId),
    command<RecordLoginSuccess>(
      'RecordLoginSuccess',
      { userId: user.userId },
      clientMetadata(grant.application, grant.request, grant.now),
    ),
  );
  await deps.cache.applyAppended(result.events);
}
