import type { TokenServiceDeps } from './tokenServiceDeps.js';
import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import { validSecretHashes } from '../domain/application/applicationSecrets.js';
import { CONSOLE_CLIENT_ID } from '../domain/application/consoleClient.js';
import { hashSecret, verifySecret } from '../security/secretHash.js';
import { InvalidRequest, invalidClient } from './oauthErrors.js';
import type { OAuthParams } from './http/readOAuthParams.js';
import type { StateCache } from './stateCache.js';

/**
 * Client authentication for the token, introspection and revocation endpoints:
 * `client_secret_basic` (RFC 6749 §2.3.1: id and secret form-urlencoded, then Base64) or
 * `client_secret_post`, never both. Unknown, inactive and deleted clients and wrong secrets
 * all get the same invalid_client, after the same hashing work.
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface PresentedClient {
  clientId: string;
  clientSecret: string;
  method: ClientAuthMethod;
}

const MAX_CREDENTIAL_LENGTH = 1024;

export function presentedClient(authorization: string | undefined, params: OAuthParams): PresentedClient {
  const basic = parseBasic(authorization);
  if (basic) {
    if (params.client_secret !== undefined || (params.client_id !== undefined && params.client_id !== basic.clientId)) {
      throw new InvalidRequest('client authentication must use only one method');
    }
    return basic;
  }
  const { client_id: clientId, client_secret: clientSecret } = params;
  if (clientId === undefined || clientSecret === undefined) throw invalidClient(false, 'no client credentials presented');
  return { clientId, clientSecret, method: 'client_secret_post' };
}

function parseBasic(authorization: string | undefined): PresentedClient | undefined {
  if (!authorization) return undefined;
  const match = /^Basic\s+(\S+)\s*$/i.exec(authorization);
  if (!match) {
    if (/^Basic\b/i.test(authorization)) throw new InvalidRequest('the Basic authorization header is malformed');
    return undefined;
  }
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || decoded.length > 2 * MAX_CREDENTIAL_LENGTH) {
    throw new InvalidRequest('the Basic authorization header is malformed');
  }
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
      method: 'client_secret_basic',
    };
  } catch {
    throw new InvalidRequest('the Basic authorization credentials are not form-urlencoded');
  }
}

/** application/x-www-form-urlencoded decoding (`+` is a space), as RFC 6749 §2.3.1 asks. */
const formDecode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));

/** Compared against when there is no client, so a miss costs what a hit costs. */
const DUMMY_HASH = hashSecret('tollgate-dummy-client-secret');

/** An authenticated client, and which of its valid secrets it used (0: the current one). */
export interface AuthenticatedClient {
  application: ExistingApplication;
  /** 0: the current secret; 1: the previous one (rotation grace period); 2: the one before, …. */
  secretIndex: number;
}

export async function authenticateClient(client: PresentedClient, cache: StateCache, now: Date): Promise<ExistingApplication> {
  return (await authenticateClientSecret(client, cache, now)).application;
}

export async function authenticateClientSecret(
  client: PresentedClient,
  cache: StateCache,
  now: Date,
): Promise<AuthenticatedClient> {
  // The console's client is used in process only: from outside it is an unknown client.
  const application =
    client.clientId.length <= MAX_CREDENTIAL_LENGTH && client.clientId !== CONSOLE_CLIENT_ID
      ? await cache.findApplicationByClientId(client.clientId)
      : undefined;
  const hashes = application ? validSecretHashes(application, now) : [];
  let ok = false;
  let secretIndex = 0;
  if (hashes.length === 0) verifySecret(client.clientSecret, DUMMY_HASH);
  // Every valid hash is checked (the same work whichever matches); the first match is the one used.
  hashes.forEach((hash, index) => {
    if (verifySecret(client.clientSecret, hash) && !ok) {
      ok = true;
      secretIndex = index;
    }
  });
  if (!ok || !application || application.status !== 'Active') {
    const detail = !application ? 'unknown client_id' : !ok ? 'wrong client secret' : `application ${application.status.toLowerCase()}`;
    throw invalidClient(client.method === 'client_secret_basic', detail);
  }
  return { application, secretIndex };
}

/**
 * Client authentication as every OAuth endpoint does it: the presented credentials (Basic or
 * body), the constant-time check, then the per-client rate limit — counted only for
 * authenticated clients, so wrong secrets cannot use up a real client's quota.
 */
export async function authenticateAndAdmitClient(
  deps: Pick<TokenServiceDeps, 'cache' | 'admitClient'>,
  authorization: string | undefined,
  params: OAuthParams,
  now: Date,
): Promise<ExistingApplication> {
  return (await authenticateAndAdmitClientSecret(deps, authorization, params, now)).application;
}

/** authenticateAndAdmitClient, telling which secret was used (the token endpoint records it). */
export async function authenticateAndAdmitClientSecret(
  deps: Pick<TokenServiceDeps, 'cache' | 'admitClient'>,
  authorization: string | undefined,
  params: OAuthParams,
  now: Date,
): Promise<AuthenticatedClient> {
  const authenticated = await authenticateClientSecret(presentedClient(authorization, params), deps.cache, now);
  const admitted = deps.admitClient?.(authenticated.application.clientId);
  if (admitted) await admitted;
  return authenticated;
}
