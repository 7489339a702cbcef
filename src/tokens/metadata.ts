import type { Grant } from '../domain/application/applicationEvents.js';

/**
 * RFC 8414 authorization server metadata. Built once: it only changes with configuration.
 * `grant_types_supported` lists every grant the token endpoint accepts (Oro once listed
 * too few).
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  introspection_endpoint: string;
  revocation_endpoint: string;
  grant_types_supported: Grant[];
  response_types_supported: string[];
  code_challenge_methods_supported: string[];
  authorization_response_iss_parameter_supported: boolean;
  token_endpoint_auth_methods_supported: string[];
  introspection_endpoint_auth_methods_supported: string[];
  revocation_endpoint_auth_methods_supported: string[];
  scopes_supported?: string[];
}

export const TOKEN_PATH = '/oauth2-token';
/** Oro's path (the console serves it: sign-in and consent are console pages). */
export const AUTHORIZE_PATH = '/oauth2-token/authorize';
export const INTROSPECTION_PATH = '/oauth2-token/introspect';
export const REVOCATION_PATH = '/oauth2-token/revoke';
export const JWKS_PATH = '/.well-known/jwks.json';
export const METADATA_PATH = '/.well-known/oauth-authorization-server';

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];
/** Public clients (authorization_code with PKCE) send only client_id. */
const TOKEN_AUTH_METHODS = [...AUTH_METHODS, 'none'];

export function authorizationServerMetadata(options: {
  issuer: string;
  grants: Grant[];
  scopesSupported?: string[];
}): AuthorizationServerMetadata {
  const base = options.issuer.replace(/\/+$/, '');
  const metadata: AuthorizationServerMetadata = {
    issuer: options.issuer,
    authorization_endpoint: `${base}${AUTHORIZE_PATH}`,
    token_endpoint: `${base}${TOKEN_PATH}`,
    jwks_uri: `${base}${JWKS_PATH}`,
    introspection_endpoint: `${base}${INTROSPECTION_PATH}`,
    revocation_endpoint: `${base}${REVOCATION_PATH}`,
    grant_types_supported: [...options.grants],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    token_endpoint_auth_methods_supported: [...TOKEN_AUTH_METHODS],
    introspection_endpoint_auth_methods_supported: [...AUTH_METHODS],
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS],
  };
  if (options.scopesSupported?.length) metadata.scopes_supported = [...options.scopesSupported];
  return metadata;
}
