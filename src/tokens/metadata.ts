import type { Grant } from '../domain/application/applicationEvents.js';

/**
 * RFC 8414 authorization server metadata. Built once: it only changes with configuration.
 * `grant_types_supported` lists every grant the token endpoint accepts (Oro once listed
 * too few).
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  introspection_endpoint: string;
  revocation_endpoint: string;
  grant_types_supported: Grant[];
  response_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  introspection_endpoint_auth_methods_supported: string[];
  revocation_endpoint_auth_methods_supported: string[];
  scopes_supported?: string[];
}

export const TOKEN_PATH = '/oauth2-token';
export const INTROSPECTION_PATH = '/oauth2-token/introspect';
export const REVOCATION_PATH = '/oauth2-token/revoke';
export const JWKS_PATH = '/.well-known/jwks.json';
export const METADATA_PATH = '/.well-known/oauth-authorization-server';

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

export function authorizationServerMetadata(options: {
  issuer: string;
  grants: Grant[];
  scopesSupported?: string[];
}): AuthorizationServerMetadata {
  const base = options.issuer.replace(/\/+$/, '');
  const metadata: AuthorizationServerMetadata = {
    issuer: options.issuer,
    token_endpoint: `${base}${TOKEN_PATH}`,
    jwks_uri: `${base}${JWKS_PATH}`,
    introspection_endpoint: `${base}${INTROSPECTION_PATH}`,
    revocation_endpoint: `${base}${REVOCATION_PATH}`,
    grant_types_supported: [...options.grants],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: [...AUTH_METHODS],
    introspection_endpoint_auth_methods_supported: [...AUTH_METHODS],
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS],
  };
  if (options.scopesSupported?.length) metadata.scopes_supported = [...options.scopesSupported];
  return metadata;
}
