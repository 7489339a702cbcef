import { randomUUID } from 'node:crypto';
import { createJwtSigner, type JwtSigner } from './jwtSigner.js';
import { createSigningPool, type SigningPool } from './signingPool.js';
import type { KeyRing } from '../keys/keyRing.js';
import { TemporarilyUnavailable } from './oauthErrors.js';

/**
 * JWT access tokens per RFC 9068: header `typ: at+jwt`, `kid`, `alg`; claims iss, sub, aud,
 * client_id, scope, iat, exp, jti and org, and auth_time for a user's sign-in (password and
 * refresh grants; userSessions.ts). The private key was imported once (a CryptoKey);
 * per token only the claims are built and signed.
 */
export interface AccessTokenClaims {
  /** Lifetime in seconds (the application's); default the signer's. */
  ttlSeconds?: number;
  sub: string;
  aud: string[];
  clientId: string;
  /** Space-delimited; omitted from the token when empty. */
  scope: string;
  org: string;
  /** Chosen by the caller when it must be recorded before signing (refresh rotation). */
  jti?: string;
  /** The session's start (seconds): only tokens of a password sign-in carry it. */
  authTime?: number;
}

export interface SignedAccessToken {
  token: string;
  jti: string;
  iat: number;
  exp: number;
  expiresIn: number;
}

/** A token whose claims are fixed (so its jti and exp can be recorded) while it is being signed. */
export interface PendingAccessToken {
  jti: string;
  iat: number;
  exp: number;
  signed: Promise<SignedAccessToken>;
}

export interface AccessTokenSigner {
  /**
   * Fixes the claims and starts the signature; throws TemporarilyUnavailable at once without
   * a signing key. The caller may record the token while it is signed (issueAccessToken.ts).
   */
  begin(claims: AccessTokenClaims): PendingAccessToken;
  /** Stops the signing threads (after the signatures they hold). */
  close(): Promise<void>;
}

export function createAccessTokenSigner(options: {
  issuer: string;
  keys: KeyRing;
  ttlSeconds: number;
  now: () => Date;
  /** Signing threads (src/tokens/signingPool.ts); 0: node:crypto's thread pool via callbacks. */
  signingThreads?: number;
}): AccessTokenSigner {
  const { issuer, keys, ttlSeconds, now } = options;
  const threads = options.signingThreads ?? 0;
  // The ring may be swapped by a key rotation: read the key per token, keep its signer.
  let signer: JwtSigner | undefined;
  let pool: SigningPool | undefined;
  const begin = (claims: AccessTokenClaims): PendingAccessToken => {
    const key = keys.signingKey;
    if (!key) throw new TemporarilyUnavailable();
    if (signer?.kid !== key.kid) {
      void pool?.close(); // the previous key's threads finish what they hold, then stop
      pool = threads > 0 ? createSigningPool(key, threads) : undefined;
      signer = createJwtSigner(key, 'at+jwt', pool);
    }
    const iat = Math.floor(now().getTime() / 1000);
    const lifetime = claims.ttlSeconds ?? ttlSeconds;
    const exp = iat + lifetime;
    const jti = claims.jti ?? randomUUID();
    const payload: Record<string, unknown> = {
      iss: issuer,
      sub: claims.sub,
      aud: claims.aud,
      client_id: claims.clientId,
      org: claims.org,
      iat,
      exp,
      jti,
    };
    if (claims.scope) payload.scope = claims.scope;
    if (claims.authTime !== undefined) payload.auth_time = claims.authTime;
    const signed = signer.sign(payload).then((token) => ({ token, jti, iat, exp, expiresIn: lifetime }));
    return { jti, iat, exp, signed };
  };
  return {
    begin,
    async close() {
      await pool?.close();
      pool = undefined;
      signer = undefined;
    },
  };
}
