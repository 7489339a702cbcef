/**
 * Where console and authorize sessions are kept, so that any node of a deployment can take a
 * session another node started: in this process (the embedded defaults), in PostgreSQL (when
 * the event store is PostgreSQL) or in Redis (REDIS_URL). The records are opaque strings
 * (sealed by sealedSessions.ts: the stores never see a token in clear) under the hash of the
 * session id (a reader of the table or of Redis cannot present one).
 *
 * Every backend passes test/console/sessionRecords.contract.ts.
 */
/** A console session is two records: what every request writes back, and its tokens (written by sign-in and refresh only). */
export type SessionKind = 'console' | 'console-tokens' | 'authorize';

export interface SessionRecords {
  readonly kind: 'memory' | 'postgres' | 'redis';
  /** Stores or replaces a record, kept at least until `expiresAt` (ms since the epoch), then dropped. */
  put(kind: SessionKind, key: string, value: string, expiresAt: number): Promise<void>;
  /**
   * Replaces a record only if it is there (not deleted, not past its time): a write-back never
   * brings back what another request deleted. Whether it was there.
   */
  replace(kind: SessionKind, key: string, value: string, expiresAt: number): Promise<boolean>;
  /** The record, or undefined when there is none (never written, deleted or dropped after its time). */
  get(kind: SessionKind, key: string): Promise<string | undefined>;
  delete(kind: SessionKind, key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * In this process: a map per kind, oldest first, bounded (the oldest go first when full), and
 * records past their time dropped as they are met.
 */
export function createMemorySessionRecords(options: { maxEntries?: number; clock?: () => number } = {}): SessionRecords {
  const maxEntries = options.maxEntries ?? 100_000;
  const clock = options.clock ?? Date.now;
  const maps: Record<SessionKind, Map<string, { value: string; expiresAt: number }>> = { console: new Map(), 'console-tokens': new Map(), authorize: new Map() };
  return {
    kind: 'memory',
    async put(kind, key, value, expiresAt) {
      const map = maps[kind];
      map.delete(key); // re-inserted last: the map stays in order of last write
      const now = clock();
      for (const [k, r] of map) if (r.expiresAt <= now || map.size >= maxEntries) map.delete(k); else break;
      map.set(key, { value, expiresAt });
    },
    async replace(kind, key, value, expiresAt) {
      const record = maps[kind].get(key);
      if (!record || record.expiresAt <= clock()) return false;
      maps[kind].delete(key);
      maps[kind].set(key, { value, expiresAt });
      return true;
    },
    async get(kind, key) {
      const record = maps[kind].get(key);
      if (!record) return undefined;
      if (record.expiresAt <= clock()) {
        maps[kind].delete(key);
        return undefined;
      }
      return record.value;
    },
    async delete(kind, key) {
      maps[kind].delete(key);
    },
    async close() {
      for (const map of Object.values(maps)) map.clear();
    },
  };
}
