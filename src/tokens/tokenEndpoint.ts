import type { Grant } from '../domain/application/applicationEvents.js';
import { authenticateAndAdmitClientSecret } from './clientAuthentication.js';
import type { OAuthParams } from './http/readOAuthParams.js';
import {
  InvalidRequest,
  TemporarilyUnavailable,
  UnauthorizedClient,
  UnsupportedGrantType,
} from './oauthErrors.js';
import type { RequestInfo } from './requestInfo.js';
import type { TokenResponse } from './tokenResponse.js';
import type { TokenServiceDeps } from './tokenServiceDeps.js';
import type { GrantHandler } from './grants/grantRequest.js';
import { clientCredentialsGrant } from './grants/clientCredentialsGrant.js';
import { passwordGrant } from './grants/passwordGrant.js';
import { refreshTokenGrant } from './grants/refreshTokenGrant.js';
import { authorizationCodeGrant } from './grants/authorizationCodeGrant.js';
import { authenticatePublicClient, isPublicClientRequest } from './publicClient.js';

/**
 * POST /oauth2-token, transport aside: grant type, client authentication, whether the client
 * may use the grant, then the grant itself.
 */
const grants: Record<Grant, GrantHandler> = {
  client_credentials: clientCredentialsGrant,
  password: passwordGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
};

export const supportedGrants = (deps: Pick<TokenServiceDeps, 'settings'>): Grant[] =>
  deps.settings.refreshTokens
    ? ['client_credentials', 'password', 'authorization_code', 'refresh_token']
    : ['client_credentials', 'password', 'authorization_code'];

/** refresh_token comes with password and authorization_code (DESIGN §1). */
const allows = (applicationGrants: readonly Grant[], grant: Grant): boolean =>
  applicationGrants.includes(grant) ||
  (grant === 'refresh_token' && (applicationGrants.includes('password') || applicationGrants.includes('authorization_code')));

export async function handleTokenRequest(
  deps: TokenServiceDeps,
  input: { params: OAuthParams; authorization: string | undefined; request: RequestInfo },
): Promise<TokenResponse> {
  if (!deps.keys.signingKey) throw new TemporarilyUnavailable();
  const { params } = input;
  const grantType = params.grant_type;
  if (grantType === undefined) throw new InvalidRequest('grant_type is required');
  const grant = supportedGrants(deps).find((g) => g === grantType);
  if (!grant) throw new UnsupportedGrantType('the grant_type is not supported');

  const now = deps.now();
  // Public clients (id only) for the grants they may use; everyone else authenticates.
  const { application, secretIndex } =
    (grant === 'authorization_code' || grant === 'refresh_token') && isPublicClientRequest(input.authorization, params)
      ? { application: await authenticatePublicClient(deps, params), secretIndex: 0 }
      : await authenticateAndAdmitClientSecret(deps, input.authorization, params, now);
  if (!allows(application.grants, grant)) {
    throw new UnauthorizedClient(`the application may not use the ${grant} grant`);
  }
  return grants[grant](deps, { params, application, secretIndex, request: input.request, now });
}
