import { hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import type { KeyRing } from './keyRing.js';

/**
 * Keys for one purpose (`info`), 32 bytes, the same on every node: derived (HKDF-SHA256) from
 * the token signing keys in KEYS_DIR, which the nodes share. `current()` comes from the active
 * signing key (what is protected now; without a signing key, a random key of this process);
 * `forKid(kid)` from the active key or one still retiring (what was protected before a
 * rotation is accepted until that key retires). Derived once per kid.
 */
export interface DerivedKeys {
  current(): { kid: string; key: Buffer };
  forKid(kid: string): Buffer | undefined;
  /** The kids `forKid` knows now, the active one first. */
  kids(): string[];
}

export function derivedKeysOf(keys: () => KeyRing, info: string): DerivedKeys {
  const fallback = { kid: '', key: randomBytes(32) };
  const derived = new Map<string, Buffer>(); // one entry per signing key this process has seen
  const keyFor = (kid: string, keyObject: KeyObject): Buffer => {
    let key = derived.get(kid);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', keyObject.export({ format: 'der', type: 'pkcs8' }), Buffer.alloc(0), info, 32));
      derived.set(kid, key);
    }
    return key;
  };
  const current = () => {
    const signing = keys().signingKey;
    return signing ? { kid: signing.kid, key: keyFor(signing.kid, signing.keyObject) } : fallback;
  };
  return {
    current,
    forKid(kid) {
      const active = current();
      if (active.kid === kid) return active.key;
      const retiring = keys().retiringPrivateKeys.find((k) => k.kid === kid);
      return retiring ? keyFor(kid, retiring.keyObject) : undefined;
    },
    kids: () => {
      const active = current().kid;
      return [active, ...keys().retiringPrivateKeys.map((k) => k.kid).filter((k) => k !== active)];
    },
  };
}

/** Only the active signing key's derived key (the sign-in form's CSRF key: a rotation refuses older forms). */
export const derivedKeyOf = (keys: () => KeyRing, info: string): (() => { kid: string; key: Buffer }) => derivedKeysOf(keys, info).current;
