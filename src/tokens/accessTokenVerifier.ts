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
  constructor(
    readonly reason: VerifyFailure,
    /** Which check failed (jose's error code, or ours), for the log only. */
    readonly detail?: string,
    cause?: unknown,
  ) {
    super(reason === 'expired' ? 'the access token has expired' : 'the access token is invalid', cause === undefined ? undefined : { cause });
    this.name = 'AccessTokenInvalid';
  }
}

const MAX_TOKEN_LENGTH = 8192;

export function createAccessTokenVerifier(options: { keys: KeyRing; issuer: string; now: () => Date }) {
  const { keys, issuer, now } = options;
  const getKey = (header: JWTHeaderParameters) => {
    const key = keys.verificationKey(header.kid);
    if (!key || key.alg !== header.alg) throw new AccessTokenInvalid('invalid', 'unknown kid or algorithm');
    return key.publicKey;
  };
  return async function verifyAccessToken(token: string, audience?: string): Promise<AccessTokenPayload> {
    if (token.length > MAX_TOKEN_LENGTH) throw new AccessTokenInvalid('invalid', 'token too long');
    if (keys.algorithms.length === 0) throw new AccessTokenInvalid('invalid', 'no verification keys');
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer,
        algorithms: keys.algorithms,
        typ: 'at+jwt',
        currentDate: now(),
        requiredClaims: ['sub', 'jti', 'exp', 'iat', 'client_id', 'aud'],
        ...(audience !== undefined ? { audience } : {}),
      });
      if (typeof payload.client_id !== 'string') throw new AccessTokenInvalid('invalid', 'client_id is not a string');
      if (payload.auth_time !== undefined && typeof payload.auth_time !== 'number') throw new AccessTokenInvalid('invalid', 'auth_time is not a number');
      return payload as AccessTokenPayload;
    } catch (error) {
      // Only a token jose refused is an invalid token; anything else (a bug, a broken key
      // ring) propagates and is answered and logged as a server error.
      if (error instanceof AccessTokenInvalid) throw error;
      if (error instanceof errors.JWTExpired) throw new AccessTokenInvalid('expired', error.code, error);
      if (error instanceof errors.JOSEError) throw new AccessTokenInvalid('invalid', error.code, error);
      throw error;
    }
  };
}

export type VerifyAccessToken = ReturnType<typeof createAccessTokenVerifier>;
