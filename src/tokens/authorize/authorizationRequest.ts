import type { ExistingApplication } from '../../domain/application/applicationEvents.js';
import { isRegisteredRedirectUri } from '../../domain/application/redirectUris.js';
import { CONSOLE_CLIENT_ID } from '../../domain/application/consoleClient.js';
import { OAuthError } from '../oauthErrors.js';
import { grantedScope, requestedScope, scopeString } from '../scope.js';
import type { StateCache } from '../stateCache.js';
import { isValidS256Challenge } from './authorizationCodes.js';

/**
 * Validation of a GET /oauth2-token/authorize request (RFC 6749 §4.1.1, RFC 7636, RFC 9700).
 * Two kinds of failure, as RFC 6749 §4.1.2.1 requires:
 * - the client or the redirect URI cannot be trusted → a page, never a redirect (an open
 *   redirector otherwise);
 * - anything else → a redirect to the (now verified) redirect URI with `error`.
 * Each parameter may appear once.
 */
export interface AuthorizationRequest {
  application: ExistingApplication;
  redirectUri: string;
  /** Whether the request named redirect_uri (then the token request must repeat it). */
  redirectUriGiven: boolean;
  state: string | undefined;
  codeChallenge: string;
  scopes: string[];
}

export type AuthorizationErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable';

/** Not redirected: shown to the user as a page. */
export class UntrustedAuthorizationRequest extends Error {}

/** Redirected to the client with error, error_description, state and iss. */
export class AuthorizationRequestError extends Error {
  constructor(
    readonly error: AuthorizationErrorCode,
    readonly description: string,
    readonly redirectUri: string,
    readonly state: string | undefined,
  ) {
    super(description);
  }
}

const MAX_PARAM_LENGTH = 4096;

/** One value per parameter; an empty value counts as absent (RFC 6749 §3.1). */
function single(query: URLSearchParams, name: string, untrusted: boolean, fail: (message: string) => never): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) {
    if (untrusted) throw new UntrustedAuthorizationRequest(`The parameter ${name} was sent more than once.`);
    fail(`${name} was sent more than once`);
  }
  const value = values[0];
  if (value !== undefined && value.length > MAX_PARAM_LENGTH) {
    if (untrusted) throw new UntrustedAuthorizationRequest(`The parameter ${name} is too long.`);
    fail(`${name} is too long`);
  }
  return value === '' ? undefined : value;
}

export async function parseAuthorizationRequest(query: URLSearchParams, cache: StateCache): Promise<AuthorizationRequest> {
  const untrusted = (message: string): never => {
    throw new UntrustedAuthorizationRequest(message);
  };
  const clientId = single(query, 'client_id', true, untrusted);
  if (clientId === undefined) untrusted('The request names no client (client_id is missing).');
  const application =
    clientId!.length <= 1024 && clientId !== CONSOLE_CLIENT_ID ? await cache.findApplicationByClientId(clientId!) : undefined;
  if (!application || application.status !== 'Active' || !application.grants.includes('authorization_code')) {
    untrusted('The application is unknown, inactive, or may not sign users in.');
  }
  const app = application!;
  const given = single(query, 'redirect_uri', true, untrusted);
  let redirectUri: string;
  if (given === undefined) {
    if (app.redirectUris.length !== 1) untrusted('The request names no redirect URI, and the application has several.');
    redirectUri = app.redirectUris[0]!;
  } else {
    if (!isRegisteredRedirectUri(app.redirectUris, given)) untrusted('The redirect URI is not registered for this application.');
    redirectUri = given;
  }

  // From here on errors go back to the client.
  let state: string | undefined;
  const fail = (error: AuthorizationErrorCode, message: string): never => {
    throw new AuthorizationRequestError(error, message, redirectUri, state);
  };
  const invalid = (message: string): never => fail('invalid_request', message);
  state = single(query, 'state', false, invalid);
  const responseType = single(query, 'response_type', false, invalid);
  if (responseType === undefined) invalid('response_type is required');
  if (responseType !== 'code') fail('unsupported_response_type', 'only response_type=code is supported');
  const challenge = single(query, 'code_challenge', false, invalid);
  const method = single(query, 'code_challenge_method', false, invalid);
  if (challenge === undefined) invalid('code_challenge is required (PKCE S256)');
  if (method !== 'S256') invalid('code_challenge_method must be S256 (plain is not accepted)');
  if (!isValidS256Challenge(challenge!)) invalid('code_challenge must be a base64url SHA-256 (43 characters)');
  let scopes: string[];
  try {
    const requested = requestedScope({ scope: single(query, 'scope', false, invalid) });
    scopes = grantedScope(requested, app.scopes);
  } catch (error) {
    if (error instanceof OAuthError) fail('invalid_scope', error.errorDescription);
    throw error;
  }
  return { application: app, redirectUri, redirectUriGiven: given !== undefined, state, codeChallenge: challenge!, scopes: scopes! };
}

export const scopeOf = (request: AuthorizationRequest): string => scopeString(request.scopes);

/** The authorization response (RFC 6749 §4.1.2 / §4.1.2.1) with RFC 9207 `iss`, as a URL. */
export function authorizationResponseUrl(
  redirectUri: string,
  issuer: string,
  params: { code: string } | { error: AuthorizationErrorCode; error_description: string },
  state: string | undefined,
): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  if (state !== undefined) url.searchParams.set('state', state);
  url.searchParams.set('iss', issuer);
  return url.toString();
}
