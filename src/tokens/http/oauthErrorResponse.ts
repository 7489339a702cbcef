import type { Context } from 'koa';
import { StoreUnavailableError } from '../../eventStore/eventStore.js';
import { isOAuthError, OAuthError, ServerError } from '../oauthErrors.js';

export interface ErrorLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * The one error exit of the OAuth endpoints: RFC 6749 §5.2 `{error, error_description}`.
 * An unavailable store is 503 temporarily_unavailable; anything unexpected is logged and
 * answered server_error without internals.
 */
export function writeOAuthError(ctx: Context, error: unknown, logger?: ErrorLogger): void {
  let oauth: OAuthError;
  if (isOAuthError(error) && error.expose) {
    oauth = error;
  } else if (error instanceof StoreUnavailableError) {
    logger?.warn({ err: { message: error.message } }, 'OAuth endpoint: event store unavailable');
    oauth = new OAuthError('temporarily_unavailable', 503, 'the service is temporarily unavailable; retry later');
    oauth.headers['Retry-After'] = '5';
  } else {
    logger?.error({ err: error, correlationId: ctx.state.correlationId as unknown }, 'OAuth endpoint: unexpected error');
    oauth = new ServerError();
  }
  ctx.status = oauth.statusCode;
  for (const [name, value] of Object.entries(oauth.headers)) ctx.set(name, value);
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  ctx.body = oauth.toJSON();
}
