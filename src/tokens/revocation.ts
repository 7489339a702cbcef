import { toRefreshTokenFamilyStreamName } from '../domain/shared/streamNames.js';
import {
  refreshTokenFamilyDecider,
  type RevokeRefreshTokenFamily,
} from '../domain/tokens/refreshTokenFamilyDecider.js';
import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import type { RecordedEvent } from '../eventStore/eventStore.js';
import { AccessTokenInvalid } from './accessTokenVerifier.js';
import { authenticateAndAdmitClient } from './clientAuthentication.js';
import type { OAuthParams } from './http/readOAuthParams.js';
import { InvalidRequest } from './oauthErrors.js';
import { command, familyIdOf } from './refreshTokens.js';
import { clientMetadata } from './requestInfo.js';
import type { RequestInfo } from './requestInfo.js';
import { refreshTokenFamily } from './tokenStatus.js';
import type { TokenServiceDeps } from './tokenServiceDeps.js';

/**
 * RFC 7009 revocation. The client may revoke only its own tokens; an unknown, foreign or
 * already dead token is answered like a revoked one (200), so nothing can be probed.
 * Revoking a refresh token revokes its family and the access tokens it produced.
 * The revocation is in force on this node when the answer leaves.
 */
export async function revoke(
  deps: TokenServiceDeps,
  input: { params: OAuthParams; authorization: string | undefined; request: RequestInfo },
): Promise<void> {
  const now = deps.now();
  const caller = await authenticateAndAdmitClient(deps, input.authorization, input.params, now);
  const token = input.params.token;
  if (token === undefined) throw new InvalidRequest('token is required');

  if (familyIdOf(token) !== undefined) {
    const presented = await refreshTokenFamily(deps, token);
    if (!presented || presented.family.applicationId !== caller.applicationId) return;
    await revokeRefreshTokenFamily(deps, { familyId: presented.family.familyId, application: caller, request: input.request, now });
    return;
  }

  let payload;
  try {
    payload = await deps.verifyAccessToken(token);
  } catch (error) {
    if (error instanceof AccessTokenInvalid) return;
    throw error;
  }
  if (payload.client_id !== caller.clientId || deps.cache.isRevoked(payload.jti)) return;
  const revoked: RecordedEvent[] = await deps.audit.revoked(
    caller,
    [{ jti: payload.jti, exp: payload.exp }],
    'revocation',
    input.request,
    now,
  );
  await deps.cache.applyAppended(revoked);
}

/**
 * Revokes a refresh-token family and every access token it produced, in force on this node
 * when it returns (RFC 7009 revocation; the console's sign-out).
 */
export async function revokeRefreshTokenFamily(
  deps: TokenServiceDeps,
  input: { familyId: string; application: ExistingApplication; request: RequestInfo; now: Date },
): Promise<void> {
  const { familyId, application, request, now } = input;
  const result = await deps.commands.handle(
    refreshTokenFamilyDecider,
    toRefreshTokenFamilyStreamName(familyId),
    command<RevokeRefreshTokenFamily>(
      'RevokeRefreshTokenFamily',
      { familyId, reason: 'revocation' },
      clientMetadata(application, request, now),
    ),
  );
  const jtis = result.events.flatMap((e) =>
    e.type === 'RefreshTokenFamilyRevoked' ? (e.data as { accessTokenJtis: string[] }).accessTokenJtis : [],
  );
  const revoked = await deps.audit.revoked(application, jtis.map((jti) => ({ jti })), 'familyRevoked', request, now);
  await deps.cache.applyAppended([...result.events, ...revoked]);
}
