import { jwtVerify, errors, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { KeyRing } from '../keys/keyRing.js';

/**
 * Verifies a Tollgate access token: signature with one of our published keys and only with
 * the algorithm that key is for (no `none`, no HMAC made from a public key), `typ: at+jwt`,
 * issuer, expiry (against the injected clock) and, when asked, an audience.
 */
export interface AccessTokenPayload extends JWTPayload {
  sub: string;
  jti: string;
  exp: number;
  iat: number;
  client_id: string;
  scope?: string;
  org?: string;
  /** Present on tokens of a password sign-in (and its refreshes): the session's start. */
  auth_time?: number;
  aud: string | string[];
}

export type VerifyFailure = 'expired' | 'invalid';

export class AccessTokenInvalid extends Error {
  constructor(readonly reason: VerifyFailure) {
    super(reason === 'expired' ? 'the access token has expired' : 'the access token is invalid');
    this.name = 'AccessTokenInvalid';
  }
}

const MAX_TOKEN_LENGTH = 8192;

export function createAccessTokenVerifier(options: { keys: KeyRing; issuer: string; now: () => Date }) {
  const { keys, issuer, now } = options;
  const getKey = (header: JWTHeaderParameters) => {
    const key = keys.verificationKey(header.kid);
    if (!key || key.alg !== header.alg) throw new AccessTokenInvalid('invalid');
    return key.publicKey;
  };
  return async function verifyAccessToken(token: string, audience?: string): Promise<AccessTokenPayload> {
    if (token.length > MAX_TOKEN_LENGTH || keys.algorithms.length === 0) throw new AccessTokenInvalid('invalid');
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer,
        algorithms: keys.algorithms,
        typ: 'at+jwt',
        currentDate: now(),
        requiredClaims: ['sub', 'jti', 'exp', 'iat', 'client_id', 'aud'],
        ...(audience !== undefined ? { audience } : {}),
      });
      if (typeof payload.client_id !== 'string') throw new AccessTokenInvalid('invalid');
      if (payload.auth_time !== undefined && typeof payload.auth_time !== 'number') throw new AccessTokenInvalid('invalid');
      return payload as AccessTokenPayload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AccessTokenInvalid('expired');
      throw new AccessTokenInvalid('invalid');
    }
  };
}

export type VerifyAccessToken = ReturnType<typeof createAccessTokenVerifier>;
