import { CONSOLE_CLIENT_ID } from '../domain/application/consoleClient.js';
import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import type { OAuthParams } from './http/readOAuthParams.js';
import { invalidClient } from './oauthErrors.js';
import type { TokenServiceDeps } from './tokenServiceDeps.js';

/**
 * Public clients (RFC 6749 §2.1, an application with "Confidential Client" off) send only
 * `client_id` (RFC 6749 §3.2.1): no secret to check, PKCE is what binds the code to them.
 * A confidential client sending only its id gets the same invalid_client as an unknown one.
 */
export const isPublicClientRequest = (authorization: string | undefined, params: OAuthParams): boolean =>
  !authorization && params.client_secret === undefined && params.client_id !== undefined;

export async function authenticatePublicClient(
  deps: Pick<TokenServiceDeps, 'cache' | 'admitClient'>,
  params: OAuthParams,
): Promise<ExistingApplication> {
  const clientId = params.client_id!;
  const application =
    clientId.length <= 1024 && clientId !== CONSOLE_CLIENT_ID ? await deps.cache.findApplicationByClientId(clientId) : undefined;
  if (!application || application.status !== 'Active' || application.confidential) throw invalidClient(false);
  const admitted = deps.admitClient?.(application.clientId);
  if (admitted) await admitted;
  return application;
}
