import type { EditableApplicationFields } from '../domain/application/applicationEvents.js';
import { validationError } from '../domain/shared/domainError.js';
import type { CommandDeps } from './commandDeps.js';

/**
 * An application's own token lifetimes must stay within the server's (ACCESS_TOKEN_TTL,
 * REFRESH_TOKEN_TTL). The domain checks the shape; this checks the configured maximums,
 * once, for every route that creates or edits an application.
 */
export function checkTokenLifetimes(
  deps: Pick<CommandDeps, 'tokenTtlLimits'>,
  fields: Pick<EditableApplicationFields, 'accessTokenTtl' | 'refreshTokenTtl'>,
): void {
  const limits = deps.tokenTtlLimits;
  if (!limits) return;
  if (fields.accessTokenTtl !== null && fields.accessTokenTtl > limits.accessTokenTtl) {
    throw validationError('accessTokenTtl', `must not exceed the server's ${limits.accessTokenTtl} seconds (ACCESS_TOKEN_TTL)`);
  }
  if (fields.refreshTokenTtl !== null && fields.refreshTokenTtl > limits.refreshTokenTtl) {
    throw validationError('refreshTokenTtl', `must not exceed the server's ${limits.refreshTokenTtl} seconds (REFRESH_TOKEN_TTL)`);
  }
}
