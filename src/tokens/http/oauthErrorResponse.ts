import { StoreUnavailableError } from '../../eventStore/eventStore.js';
import { isOAuthError, OAuthError, ServerError } from '../oauthErrors.js';

export interface ErrorLogger {
  info?(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface OAuthErrorReply {
  status: number;
  headers: Record<string, string>;
  body: { error: string; error_description: string };
}

/**
 * The one error exit of the OAuth endpoints: RFC 6749 §5.2 `{error, error_description}`.
 * An unavailable store is 503 temporarily_unavailable; anything unexpected is logged and
 * answered server_error without internals. An OAuthError's detail (which check failed) is
 * logged with the correlation id and never sent.
 */
export function oauthErrorReply(error: unknown, logger: ErrorLogger | undefined, correlationId: string): OAuthErrorReply {
  let oauth: OAuthError;
  if (isOAuthError(error) && error.expose) {
    oauth = error;
    if (error.errorDetail !== undefined) {
      const entry = { error: error.error, errorDetail: error.errorDetail, correlationId };
      if (error.statusCode >= 500) logger?.warn(entry, 'OAuth endpoint: request not served');
      else logger?.info?.(entry, 'OAuth endpoint: request refused');
    }
  } else if (error instanceof StoreUnavailableError) {
    logger?.warn({ err: { message: error.message }, correlationId }, 'OAuth endpoint: event store unavailable');
    oauth = new OAuthError('temporarily_unavailable', 503, 'the service is temporarily unavailable; retry later');
    oauth.headers['Retry-After'] = '5';
  } else {
    logger?.error({ err: error, correlationId }, 'OAuth endpoint: unexpected error');
    oauth = new ServerError();
  }
  return {
    status: oauth.statusCode,
    headers: { ...oauth.headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    body: oauth.toJSON(),
  };
}
