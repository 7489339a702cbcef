import type { SignedAccessToken } from './accessTokenSigner.js';

/** RFC 6749 §5.1 success body. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

export function tokenResponse(accessToken: SignedAccessToken, scope: string, refreshToken?: string): TokenResponse {
  const body: TokenResponse = {
    access_token: accessToken.token,
    token_type: 'Bearer',
    expires_in: accessToken.expiresIn,
  };
  if (refreshToken) body.refresh_token = refreshToken;
  if (scope) body.scope = scope;
  return body;
}
