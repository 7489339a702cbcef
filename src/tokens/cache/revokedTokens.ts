/**
 * Ids (jti) of revoked access tokens that have not expired yet. An entry is dropped once the
 * token it names has expired, so the set stays as small as the revocations of one TTL.
 */
export interface RevokedTokens {
  add(jti: string, expiresAtSeconds: number): void;
  has(jti: string): boolean;
  readonly size: number;
}

const SWEEP_INTERVAL_MS = 60_000;

export function createRevokedTokens(now: () => Date): RevokedTokens {
  const entries = new Map<string, number>();
  let lastSweep = 0;

  const sweep = (nowMs: number): void => {
    lastSweep = nowMs;
    const nowSeconds = nowMs / 1000;
    for (const [jti, exp] of entries) if (exp < nowSeconds) entries.delete(jti);
  };

  return {
    add(jti, expiresAtSeconds) {
      const nowMs = now().getTime();
      if (expiresAtSeconds * 1000 < nowMs) return;
      entries.set(jti, Math.max(entries.get(jti) ?? 0, expiresAtSeconds));
      if (nowMs - lastSweep > SWEEP_INTERVAL_MS) sweep(nowMs);
    },
    has: (jti) => entries.has(jti),
    get size() {
      return entries.size;
    },
  };
}
