import { statSync } from 'node:fs';
import type { KeyRing } from './keyRing.js';
import { manifestFile } from './keyManifest.js';
import { loadOrCreateKeys, type LoadKeysOptions } from './keyStore.js';

/**
 * A KeyRing that follows KEYS_DIR: every `intervalMs` it looks at `keys.json`, and when the
 * file changed (a `keys:rotate` or `keys:generate` on this machine or a shared volume), or a
 * retiring key's time is up, it loads the ring again and swaps it in. Token signing, JWKS
 * and verification always read the current ring, so a rotation needs no restart; in
 * production a server started without keys becomes available once they are generated.
 */
export interface ReloadingKeyRing extends KeyRing {
  /** Loads KEYS_DIR again now; resolves with whether anything changed. */
  reload(): Promise<boolean>;
  stop(): void;
}

export async function createReloadingKeyRing(
  options: LoadKeysOptions & { intervalMs?: number; onReload?: (ring: KeyRing) => void; onError?: (error: Error) => void },
): Promise<ReloadingKeyRing> {
  let current = await loadOrCreateKeys(options);
  let seen = manifestStamp(options.dir);
  const retireTimes = (): number[] =>
    current.verificationKeys.flatMap((k) => (k.retireAfter ? [Date.parse(k.retireAfter)] : []));

  const reload = async (): Promise<boolean> => {
    const stamp = manifestStamp(options.dir);
    const now = (options.now ?? (() => new Date()))().getTime();
    if (stamp === seen && !retireTimes().some((t) => t <= now)) return false;
    const next = await loadOrCreateKeys({ ...options, production: true }); // never generate on reload
    seen = stamp;
    current = next;
    options.onReload?.(next);
    return true;
  };

  const timer = setInterval(() => {
    reload().catch((error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error))));
  }, options.intervalMs ?? 10_000);
  timer.unref();

  return {
    get status() {
      return current.status;
    },
    get signingKey() {
      return current.signingKey;
    },
    get retiringPrivateKeys() {
      return current.retiringPrivateKeys;
    },
    get verificationKeys() {
      return current.verificationKeys;
    },
    get jwks() {
      return current.jwks;
    },
    get algorithms() {
      return current.algorithms;
    },
    verificationKey: (kid) => current.verificationKey(kid),
    reload,
    stop: () => clearInterval(timer),
  };
}

/** Modification time and size of keys.json, or 'missing'. */
function manifestStamp(dir: string): string {
  try {
    const stat = statSync(manifestFile(dir));
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}
