import { hkdfSync, randomBytes } from 'node:crypto';
import type { KeyRing } from './keyRing.js';

/**
 * A 32-byte key for one purpose (`info`), the same on every node: derived (HKDF-SHA256) from
 * the token signing key in KEYS_DIR, which the nodes share. It changes when the signing key
 * is rotated (what it protected before is refused then). Without a signing key, a random key
 * of this process. `kid` names the signing key it came from.
 */
export function derivedKeyOf(keys: () => KeyRing, info: string): () => { kid: string; key: Buffer } {
  const fallback = { kid: '', key: randomBytes(32) };
  let cached: { kid: string; key: Buffer } | undefined;
  return () => {
    const signing = keys().signingKey;
    if (!signing) return fallback;
    if (cached?.kid !== signing.kid) {
      const der = signing.keyObject.export({ format: 'der', type: 'pkcs8' });
      cached = { kid: signing.kid, key: Buffer.from(hkdfSync('sha256', der, Buffer.alloc(0), info, 32)) };
    }
    return cached;
  };
}
