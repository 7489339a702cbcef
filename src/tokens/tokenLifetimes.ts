import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import type { TokenSettings } from './tokenServiceDeps.js';

/**
 * Token lifetimes of an application, for every grant: its own when set, never more than the
 * server's (ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL are the defaults and the maximums — a
 * maximum lowered after an application chose more still wins).
 */
export const accessTokenTtlOf = (settings: Pick<TokenSettings, 'accessTokenTtl'>, application: ExistingApplication): number =>
  Math.min(application.accessTokenTtl ?? settings.accessTokenTtl, settings.accessTokenTtl);

export const refreshTokenTtlOf = (settings: Pick<TokenSettings, 'refreshTokenTtl'>, application: ExistingApplication): number =>
  Math.min(application.refreshTokenTtl ?? settings.refreshTokenTtl, settings.refreshTokenTtl);

export const DEFAULT_AUTHORIZATION_CODE_TTL = 600;
export const authorizationCodeTtlOf = (settings: Pick<TokenSettings, 'authorizationCodeTtl'>): number =>
  settings.authorizationCodeTtl ?? DEFAULT_AUTHORIZATION_CODE_TTL;
