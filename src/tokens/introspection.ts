import { authenticateAndAdmitClient } from './clientAuthentication.js';
import type { OAuthParams } from './http/readOAuthParams.js';
import { InvalidRequest } from './oauthErrors.js';
import { familyIdOf } from './refreshTokens.js';
import { isRefreshTokenLive, liveAccessToken, refreshTokenFamily } from './tokenStatus.js';
import type { TokenServiceDeps } from './tokenServiceDeps.js';

/**
 * RFC 7662 introspection for authenticated clients. Access tokens may be introspected by any
 * client (resource servers do); a refresh token only by the client it was issued to. Anything
 * not live answers `{active:false}` and nothing else.
 */
export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });

export async function introspect(
  deps: TokenServiceDeps,
  input: { params: OAuthParams; authorization: string | undefined },
): Promise<IntrospectionResponse> {
  const now = deps.now();
  const caller = await authenticateAndAdmitClient(deps, input.authorization, input.params, now);
  const token = input.params.token;
  if (token === undefined) throw new InvalidRequest('token is required');

  if (familyIdOf(token) !== undefined) {
    const presented = await refreshTokenFamily(deps, token);
    if (!presented || presented.family.applicationId !== caller.applicationId) return INACTIVE;
    if (!isRefreshTokenLive(deps, presented, now)) return INACTIVE;
    const { family } = presented;
    return {
      active: true,
      token_type: 'refresh_token',
      client_id: caller.clientId,
      sub: family.userId,
      username: deps.cache.user(family.userId)?.username,
      scope: family.scope || undefined,
      exp: Math.floor(Date.parse(family.expiresAt) / 1000),
      iss: deps.settings.issuer,
    };
  }

  const live = await liveAccessToken(deps, token);
  if (!live) return INACTIVE;
  const p = live.payload;
  return {
    active: true,
    token_type: 'Bearer',
    scope: p.scope,
    client_id: p.client_id,
    sub: p.sub,
    username: deps.cache.user(p.sub)?.username,
    aud: p.aud,
    iss: p.iss,
    exp: p.exp,
    iat: p.iat,
    jti: p.jti,
    org: p.org,
  };
}
