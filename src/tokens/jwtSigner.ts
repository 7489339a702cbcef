import { sign, type KeyObject } from 'node:crypto';
import type { SigningKey } from '../keys/keyRing.js';
import type { SigningPool } from './signingPool.js';

/**
 * Compact JWS signing for the hot path. jose's SignJWT over a WebCrypto key costs 120–175 µs
 * of main-thread time per token (argument normalisation, key checks); this encodes the
 * protected header once per key and hands only the signing input to node:crypto's
 * callback form, whose RSA/ECDSA math runs on libuv's thread pool (~64 µs of main thread,
 * BENCHMARKS.md). Tokens are verified with jose as before; the output is a standard JWS.
 */
export interface JwtSigner {
  readonly kid: string;
  sign(payload: object): Promise<string>;
}

export function createJwtSigner(key: SigningKey, typ: string, pool?: SigningPool): JwtSigner {
  const encodedHeader = Buffer.from(JSON.stringify({ alg: key.alg, typ, kid: key.kid })).toString('base64url');
  const digest = key.alg === 'EdDSA' ? null : 'sha256';
  // JWS wants ECDSA signatures as r||s (IEEE P1363), not DER.
  const signingKey: KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' } =
    key.alg === 'ES256' ? { key: key.keyObject, dsaEncoding: 'ieee-p1363' } : key.keyObject;
  return {
    kid: key.kid,
    sign(payload) {
      const input = `${encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      if (pool) return pool.sign(input).then((signature) => `${input}.${signature}`);
      return new Promise((resolve, reject) => {
        sign(digest, Buffer.from(input), signingKey, (error, signature) => {
          if (error) reject(error);
          else resolve(`${input}.${signature.toString('base64url')}`);
        });
      });
    },
  };
}
