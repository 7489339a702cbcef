import type { Principal } from '../authorization/principal.js';
import { boundByApplication } from '../authorization/tokenAuthority.js';
import { liveAccessToken } from './tokenStatus.js';
import type { TokenServiceDeps } from './tokenServiceDeps.js';

/**
 * The admin API's authentication (`Authorization: Bearer <access token>`), checked on every
 * request from the state cache: a valid Tollgate access token for the admin API audience,
 * not revoked, whose application is still active and whose user is still enabled, unlocked
 * and a back-office user. The caller's authority is the user's, bounded by the application's
 * organization (src/authorization/tokenAuthority.ts). Customer (storefront) tokens never authenticate here.
 */
export interface BearerPrincipal extends Principal {
  clientId: string;
  /** The organization of the application the token was issued to. */
  tokenOrganizationId: string;
  scope: string[];
  jti: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type BearerErrorCode = 'missing_token' | 'invalid_request' | 'invalid_token';

/** RFC 6750 error; the HTTP edge answers 401 (400 for invalid_request) with `wwwAuthenticate`. */
export class BearerAuthError extends Error {
  readonly status: number;
  constructor(
    readonly code: BearerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BearerAuthError';
    this.status = code === 'invalid_request' ? 400 : 401;
  }

  get wwwAuthenticate(): string {
    const realm = 'Bearer realm="tollgate"';
    return this.code === 'missing_token' ? realm : `${realm}, error="${this.code}"`;
  }
}

export type BearerAuthenticator = (authorization: string | undefined) => Promise<BearerPrincipal>;

export function createBearerAuthenticator(deps: TokenServiceDeps): BearerAuthenticator {
  const audience = deps.catalog.adminAudience;
  return async (authorization) => {
    if (!authorization) throw new BearerAuthError('missing_token', 'an access token is required');
    const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization);
    if (!match) {
      if (/^Bearer\b/i.test(authorization)) throw new BearerAuthError('invalid_request', 'the Bearer authorization header is malformed');
      throw new BearerAuthError('missing_token', 'an access token is required');
    }
    const live = await liveAccessToken(deps, match[1]!, audience);
    const user = live ? deps.cache.user(live.payload.sub) : undefined;
    if (!live || !user || user.kind !== 'backOffice' || live.application.frontend) {
      throw new BearerAuthError('invalid_token', 'the access token is invalid, expired or revoked');
    }
    const { payload, application } = live;
    const authority = boundByApplication(
      {
        userId: user.userId,
        username: user.username,
        roles: [...user.roles],
        organizationIds: [...user.organizationIds],
        globalAccess: user.organizationIds.some((id) => deps.cache.organization(id)?.globalAccess === true),
        applicationId: application.applicationId,
        via: application.clientId,
      },
      {
        organizationId: application.organizationId,
        organizationGlobalAccess: deps.cache.organization(application.organizationId)?.globalAccess === true,
      },
    );
    return {
      ...authority,
      clientId: application.clientId,
      via: application.clientId,
      tokenOrganizationId: application.organizationId,
      scope: payload.scope ? payload.scope.split(' ') : [],
      jti: payload.jti,
      exp: payload.exp,
    };
  };
}
