/**
 * OAuth 2.0 errors (RFC 6749 §5.2, RFC 7009, RFC 7662), node-oidc-provider style: one small
 * class per code made by a factory, with the HTTP status and whether the description may be
 * shown (`expose`). Anything that is not an OAuthError leaves the endpoint as `server_error`.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'temporarily_unavailable'
  | 'server_error';

/**
 * Why a request was refused, for the log only (oidc-provider's `error_detail`): the public
 * `error_description` stays generic — e.g. one `invalid_client` for every client failure —
 * while the detail and the `cause` say which check failed. Never sent to the client.
 */
export interface OAuthErrorDetail {
  detail?: string;
  cause?: unknown;
}

export class OAuthError extends Error {
  readonly expose: boolean;
  /** Logged, never sent. */
  readonly errorDetail: string | undefined;
  /** Extra response headers (WWW-Authenticate for Basic, Retry-After). */
  headers: Record<string, string> = {};
  constructor(
    readonly error: OAuthErrorCode,
    readonly statusCode: number,
    readonly errorDescription: string,
    { detail, cause }: OAuthErrorDetail = {},
  ) {
    super(errorDescription, cause === undefined ? undefined : { cause });
    this.name = 'OAuthError';
    this.errorDetail = detail;
    this.expose = statusCode < 500 || error === 'temporarily_unavailable';
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.errorDescription };
  }
}

type OAuthErrorClass = new (description?: string, detail?: OAuthErrorDetail) => OAuthError;

export function E(
  code: OAuthErrorCode,
  statusCode = 400,
  defaultDescription: string = code,
): OAuthErrorClass {
  return class extends OAuthError {
    constructor(description: string = defaultDescription, detail: OAuthErrorDetail = {}) {
      super(code, statusCode, description, detail);
    }
  };
}

export const InvalidRequest = E('invalid_request', 400, 'the request is missing a parameter or is malformed');
export const InvalidClient = E('invalid_client', 401, 'client authentication failed');
export const InvalidGrant = E('invalid_grant', 400, 'the grant is invalid');
export const UnauthorizedClient = E('unauthorized_client', 400, 'the client may not use this grant type');
export const UnsupportedGrantType = E('unsupported_grant_type', 400, 'the grant type is not supported');
export const InvalidScope = E('invalid_scope', 400, 'the requested scope is invalid');
export const UnsupportedTokenType = E('unsupported_token_type', 400, 'the token type is not supported');
export const TemporarilyUnavailable = E(
  'temporarily_unavailable',
  503,
  'OAuth authorization is not available as encryption keys configuration was not complete. Please contact your administrator.',
);
export const ServerError = E('server_error', 500, 'an internal error occurred');

/**
 * A write that kept conflicting (the command handler gave up after its retries, CONFLICT).
 * Nothing is wrong with the grant, so not invalid_grant (the client would drop a still-valid
 * refresh token); RFC 6749 §4.1.2.1 names temporarily_unavailable for "cannot handle the
 * request due to a temporary overloading", and 503 with Retry-After says the same to HTTP.
 */
export function busyRetryLater(detail: string, cause?: unknown): OAuthError {
  const error = new OAuthError('temporarily_unavailable', 503, 'the request could not be completed now; retry later', { detail, cause });
  error.headers['Retry-After'] = '1';
  return error;
}

/** The single invalid_client answer for unknown, inactive, deleted clients and wrong secrets. */
export function invalidClient(basicUsed: boolean, detail?: string): OAuthError {
  const error = new InvalidClient(undefined, { detail });
  if (basicUsed) error.headers['WWW-Authenticate'] = 'Basic realm="tollgate", charset="UTF-8"';
  return error;
}

export const isOAuthError = (e: unknown): e is OAuthError => e instanceof OAuthError;
