import { hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
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

/**
 * Keys for one purpose to seal and to open with: `current()` derived from the active signing
 * key (what is sealed now), and `forKid(kid)` from the active one or one still retiring (what
 * was sealed before a rotation opens until that key retires). Derived once per kid.
 */
export interface DerivedKeys {
  current(): { kid: string; key: Buffer };
  forKid(kid: string): Buffer | undefined;
  /** The kids `forKid` knows now, the active one first. */
  kids(): string[];
}

export function derivedKeysOf(keys: () => KeyRing, info: string): DerivedKeys {
  const current = derivedKeyOf(keys, info);
  const derived = new Map<string, Buffer>();
  const derive = (kid: string, keyObject: KeyObject): Buffer => {
    let key = derived.get(kid);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', keyObject.export({ format: 'der', type: 'pkcs8' }), Buffer.alloc(0), info, 32));
      derived.set(kid, key);
    }
    return key;
  };
  return {
    current,
    forKid(kid) {
      const active = current();
      if (active.kid === kid) return active.key;
      const retiring = keys().retiringPrivateKeys.find((k) => k.kid === kid);
      return retiring ? derive(kid, retiring.keyObject) : undefined;
    },
    kids: () => {
      const active = current().kid;
      return [active, ...keys().retiringPrivateKeys.map((k) => k.kid).filter((k) => k !== active)];
    },
  };
}
