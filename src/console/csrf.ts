import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { derivedKeyOf } from '../keys/derivedKey.js';
import type { KeyRing } from '../keys/keyRing.js';

/**
 * CSRF tokens. Signed-in forms carry the session's synchronizer token. The sign-in form has
 * no session yet, so it carries HMAC(key, nonce) where the nonce is in a short-lived cookie
 * (a login-CSRF defence that stores nothing for anonymous visitors). Compared in constant time.
 */
export const sameToken = (given: string | undefined, expected: string): boolean => {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export interface SignInCsrf {
  newNonce(): string;
  tokenFor(nonce: string): string;
  verify(nonce: string | undefined, token: string | undefined): boolean;
}

export function createSignInCsrf(key: Buffer | (() => Buffer) = randomBytes(32)): SignInCsrf {
  const keyOf = typeof key === 'function' ? key : () => key;
  const tokenFor = (nonce: string): string => createHmac('sha256', keyOf()).update(nonce).digest('base64url');
  return {
    newNonce: () => randomBytes(24).toString('base64url'),
    tokenFor,
    verify: (nonce, token) => typeof nonce === 'string' && /^[A-Za-z0-9_-]{32}$/.test(nonce) && sameToken(token, tokenFor(nonce)),
  };
}

/**
 * The sign-in form's HMAC key, the same on every node: derived (HKDF-SHA256) from the token
 * signing key in KEYS_DIR, which the nodes share, so a sign-in form one node served may be
 * posted to another. A key rotation refuses the forms served before it (they last 10 minutes).
 * Without a signing key, a random key of this process.
 */
export function sharedSignInCsrfKey(keys: () => KeyRing): () => Buffer {
  const derived = derivedKeyOf(keys, 'tollgate console sign-in csrf');
  return () => derived().key;
}
