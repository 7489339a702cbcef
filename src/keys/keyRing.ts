import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

type CryptoKey = webcrypto.CryptoKey;
import { algorithmOf, webCryptoParams, type SigningAlg } from './keyAlgorithms.js';

/**
 * The key that signs new tokens, imported once. `keyObject` is what the token path signs
 * with (node:crypto, on the thread pool); `privateKey` is the same key for WebCrypto users.
 */
export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: CryptoKey;
  keyObject: KeyObject;
}

/** A published verification key: the active one and those still retiring. */
export interface VerificationKey {
  kid: string;
  alg: SigningAlg;
  publicKey: CryptoKey;
  jwk: JWK;
  /** ISO time after which it leaves the JWKS; absent for the active key. */
  retireAfter?: string;
}

export interface KeyStatus {
  available: boolean;
  /** Human-readable warnings for GET /admin/status (never key material). */
  warnings: string[];
}

/**
 * The private key of a key that is still retiring (it signs nothing any more): what was sealed
 * under a key derived from it (console sessions, src/keys/derivedKey.ts) still opens until it
 * retires, and is sealed again under the active key when it is next written.
 */
export interface RetiringPrivateKey {
  kid: string;
  keyObject: KeyObject;
}

export interface KeyRing {
  readonly status: KeyStatus;
  readonly signingKey: SigningKey | undefined;
  readonly retiringPrivateKeys: readonly RetiringPrivateKey[];
  readonly verificationKeys: readonly VerificationKey[];
  /** The JWKS document (RFC 7517), built once. */
  readonly jwks: { keys: JWK[] };
  /** Algorithms a token may carry to be verified (never `none`, never HMAC). */
  readonly algorithms: SigningAlg[];
  verificationKey(kid: string | undefined): VerificationKey | undefined;
}

export const KEYS_UNAVAILABLE_WARNING =
  'OAuth authorization is not available as encryption keys configuration was not complete. Please contact your administrator.';

export async function importSigningKey(kid: string, pem: string | KeyObject): Promise<SigningKey> {
  const keyObject = typeof pem === 'string' ? createPrivateKey(pem) : pem;
  const alg = requireAlgorithm(keyObject, kid);
  const der = keyObject.export({ format: 'der', type: 'pkcs8' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, webCryptoParams[alg], false, ['sign']);
  return { kid, alg, privateKey, keyObject };
}

export async function importVerificationKey(
  kid: string,
  pem: string | KeyObject,
  retireAfter?: string,
): Promise<VerificationKey> {
  // createPublicKey accepts a PEM or a private KeyObject (it derives the public half), not a public KeyObject.
  const keyObject = typeof pem !== 'string' && pem.type === 'public' ? pem : createPublicKey(pem);
  const alg = requireAlgorithm(keyObject, kid);
  const der = keyObject.export({ format: 'der', type: 'spki' });
  const publicKey = await webcrypto.subtle.importKey('spki', der, webCryptoParams[alg], true, ['verify']);
  const exported = keyObject.export({ format: 'jwk' }) as JWK;
  const jwk: JWK = { ...exported, kid, alg, use: 'sig' };
  return { kid, alg, publicKey, jwk, ...(retireAfter ? { retireAfter } : {}) };
}

function requireAlgorithm(key: KeyObject, kid: string): SigningAlg {
  const alg = algorithmOf(key);
  if (!alg) {
    throw new Error(
      `key ${kid}: unsupported key type (use RSA ≥ 2048 bits, EC P-256 or Ed25519)`,
    );
  }
  return alg;
}

export function createKeyRing(
  signingKey: SigningKey | undefined,
  verificationKeys: VerificationKey[],
  warnings: string[],
  retiringPrivateKeys: RetiringPrivateKey[] = [],
): KeyRing {
  const available = signingKey !== undefined;
  const byKid = new Map(verificationKeys.map((k) => [k.kid, k]));
  const algorithms = [...new Set(verificationKeys.map((k) => k.alg))];
  return {
    status: {
      available,
      warnings: available || warnings.includes(KEYS_UNAVAILABLE_WARNING)
        ? warnings
        : [KEYS_UNAVAILABLE_WARNING, ...warnings],
    },
    signingKey,
    retiringPrivateKeys,
    verificationKeys,
    jwks: { keys: verificationKeys.map((k) => k.jwk) },
    algorithms,
    verificationKey: (kid) => (kid === undefined ? undefined : byKid.get(kid)),
  };
}

/** No keys at all (production without KEYS_DIR content). */
export const unavailableKeyRing = (...warnings: string[]): KeyRing =>
  createKeyRing(undefined, [], [KEYS_UNAVAILABLE_WARNING, ...warnings]);
