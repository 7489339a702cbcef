import { randomUUID } from 'node:crypto';
import {
  authorizationCodeDecider,
  type AuthorizationCodeState,
  type RedeemAuthorizationCode,
} from '../../domain/authorization/authorizationCodeDecider.js';
import type { AuthorizationCodeReplayed } from '../../domain/authorization/authorizationCodeEvents.js';
import { isDomainError } from '../../domain/shared/domainError.js';
import { toAuthorizationCodeStreamName } from '../../domain/shared/streamNames.js';
import { codeIdOf, hashAuthorizationCode, isValidCodeVerifier, isWellFormedCode, s256 } from '../authorize/authorizationCodes.js';
import { loadConsents, recordConsentTokens } from '../authorize/consents.js';
import { audiencesOf, issueAccessToken } from '../issueAccessToken.js';
import { InvalidGrant, InvalidRequest } from '../oauthErrors.js';
import { command, newFamilyId, startRefreshTokenFamily } from '../refreshTokens.js';
import { clientMetadata } from '../requestInfo.js';
import { revokeRefreshTokenFamily } from '../revocation.js';
import { subjectProblem } from '../subjectChecks.js';
import { tokenResponse } from '../tokenResponse.js';
import type { TokenServiceDeps } from '../tokenServiceDeps.js';
import type { GrantHandler, GrantRequest } from './grantRequest.js';

/**
 * authorization_code (RFC 6749 §4.1.3 with PKCE, RFC 7636 §4.6): the code's stream decides
 * single use by expected revision. Checked on the code: client, expiry, redirect_uri,
 * S256(code_verifier) in constant time; on the user: the subject check of every grant, so a
 * user disabled or locked after the authorization gets nothing. A second redemption revokes
 * the access token and the refresh family issued from the code (RFC 6749 §4.1.2).
 */
const INVALID = 'the authorization code is invalid, expired or already used';

export const authorizationCodeGrant: GrantHandler = async (deps, grant) => {
  const { params, application, request, now } = grant;
  const { code, code_verifier: verifier, redirect_uri: redirectUri } = params;
  if (code === undefined) throw new InvalidRequest('code is required');
  if (verifier === undefined) throw new InvalidRequest('code_verifier is required (PKCE)');
  if (!isValidCodeVerifier(verifier)) throw new InvalidGrant('code_verifier is malformed');
  if (!isWellFormedCode(code)) throw new InvalidGrant(INVALID);
  const aud = audiencesOf(deps, application, 'authorization_code');
  const codeHash = hashAuthorizationCode(code);
  const jti = randomUUID();
  const familyId = deps.settings.refreshTokens ? newFamilyId() : null;

  const redemption = (state: AuthorizationCodeState): RedeemAuthorizationCode => {
    if (state.status === 'Issued' && subjectProblem(deps.cache.user(state.userId), application, deps.cache) !== undefined) {
      throw new InvalidGrant('the user may no longer obtain tokens');
    }
    return command<RedeemAuthorizationCode>(
      'RedeemAuthorizationCode',
      { codeHash, applicationId: application.applicationId, redirectUri, verifierChallenge: s256(verifier), accessTokenJti: jti, familyId },
      clientMetadata(application, request, now),
    );
  };
  let result;
  try {
    result = await deps.commands.handle(authorizationCodeDecider, toAuthorizationCodeStreamName(codeHash), redemption);
  } catch (error) {
    if (isDomainError(error)) throw new InvalidGrant(INVALID);
    throw error;
  }
  const replay = result.events.find((e) => e.type === 'AuthorizationCodeReplayed');
  if (replay) {
    // In force on this node at once; other nodes (and this one after a restart) follow the
    // recorded replay (stateCache.ts), so a crash before the writes below loses no revocation.
    await deps.cache.applyAppended(result.events);
    await revokeIssuedFromCode(deps, grant, replay.data as AuthorizationCodeReplayed['data']);
    throw new InvalidGrant(INVALID);
  }
  const redeemed = result.state;
  if (redeemed.status !== 'Redeemed') throw new InvalidGrant(INVALID);
  const userId = redeemed.userId;
  const scope = redeemed.scope;
  const consentMetadata = clientMetadata(application, request, now);
  // A consent revoked after the code was issued: no tokens through it.
  const consented = familyId !== null
    ? await recordConsentTokens(deps, { userId, applicationId: application.applicationId, familyId }, consentMetadata)
    : (await loadConsents(deps, userId)).consents[application.applicationId] !== undefined;
  if (!consented) throw new InvalidGrant('the consent for this application was revoked');
  const accessToken = await issueAccessToken(deps, {
    application, sub: userId, aud, scope, grant: 'authorization_code', jti, request, now, codeId: codeIdOf(codeHash), secretIndex: grant.secretIndex,
    // The user's sign-in: sessions end when their credentials change (sessionsNotBefore).
    authTime: redeemed.authTime,
    ...(familyId !== null && { familyId }),
  });
  const refreshToken = familyId !== null
    ? await startRefreshTokenFamily(deps, { application, userId, scope, aud, accessTokenJti: accessToken.jti, authTime: redeemed.authTime, familyId, request, now })
    : undefined;
  // A replay decided while these tokens were being issued may have found no family to revoke
  // yet: look once more, now that the family exists, and revoke it here if so.
  const later = await deps.store.readStream(toAuthorizationCodeStreamName(codeHash), { fromRevision: result.nextExpectedRevision + 1 });
  const racingReplay = later.find((e) => e.type === 'AuthorizationCodeReplayed');
  if (racingReplay) {
    await revokeIssuedFromCode(deps, grant, racingReplay.data as AuthorizationCodeReplayed['data']);
    throw new InvalidGrant(INVALID);
  }
  return tokenResponse(accessToken, scope, refreshToken);
};

/** The code was used before: its access token and refresh family end now. */
async function revokeIssuedFromCode(deps: TokenServiceDeps, grant: GrantRequest, replay: AuthorizationCodeReplayed['data']): Promise<void> {
  const { application, request, now } = grant;
  const revoked = await deps.audit.revoked(application, [{ jti: replay.accessTokenJti }], 'authorizationCodeReplay', request, now, codeIdOf(replay.codeHash));
  await deps.cache.applyAppended(revoked);
  if (replay.familyId === null) return;
  await revokeRefreshTokenFamily(deps, { familyId: replay.familyId, application, request, now }).catch((error: unknown) => {
    // Not written yet: the first redemption is still issuing, and revokes it itself when done.
    if (!(isDomainError(error) && error.code === 'NOT_FOUND')) throw error;
  });
}
