import { randomUUID } from 'node:crypto';
import type { HistoryQuery } from '../../src/audit/historyQuery.js';
import type { EventMetadata, EventStore, NewEvent } from '../../src/eventStore/eventStore.js';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { toApplicationStreamName, toTokensStreamName, toUserStreamName } from '../../src/domain/shared/streamNames.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';

export const minute = (n: number): Date => new Date(Date.UTC(2025, 10, 3, 9, n));
export const APP = 'app-history-1';
export const CLIENT = 'client-history-1';
export const USER = 'user-alice';

/** The fixture's client directory: its one client belongs to its one application. */
export const clients = async (clientId: string): Promise<string | null> => (clientId === CLIENT ? APP : null);
/** A history query of the fixture's application (tokens included, newest first, 7 a page). */
export const historyQuery = (overrides: Partial<HistoryQuery> = {}): HistoryQuery => ({
  applicationId: APP,
  includeTokens: true,
  order: 'desc',
  perPage: 7,
  ...overrides,
});

export interface HistoryFixture {
  store: SqliteEventStore;
  dir: TempDir;
  /** Token events kept after retention: minutes 12..31 (revisions 10..29). */
  keptTokenMinutes: number[];
  close(): Promise<void>;
}

const event = (type: string, data: unknown, at: Date, extra: Partial<EventMetadata> = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { actor: USER, occurredAt: at.toISOString(), correlationId: randomUUID(), ip: '10.0.0.1', ...extra },
});

/**
 * One application's life, on a real SQLite store with a controlled clock:
 * alice registers (minute 0); she creates "Old" (minute 1, an old event without actorKind/via);
 * a token every minute from 2 to 31 through the application's own client; she renames it "New"
 * in the console (minute 10); the application rotates its own secret with a client_credentials
 * token (minute 20); she deletes it (minute 32). Then retention removes the token events
 * recorded before minute 12.
 */
export async function createHistoryFixture(): Promise<HistoryFixture> {
  const dir = await createTempDir('tollgate-history-');
  let now = minute(0);
  const store = createSqliteEventStore({ file: dir.file('events.sqlite'), clock: () => now, retentionIntervalMs: 0 });
  const at = async (m: number, stream: string, e: NewEvent): Promise<void> => {
    now = minute(m);
    await store.appendToStream(stream, [e]);
  };
  const app = toApplicationStreamName(APP);
  const tokens = toTokensStreamName(APP);
  await at(0, toUserStreamName(USER), event('UserRegistered', { userId: USER, username: 'alice', passwordHash: 'scrypt$x' }, minute(0), { actor: 'system' }));
  await at(1, app, event('ApplicationCreated', { applicationId: APP, clientId: CLIENT, name: 'Old', secretHash: 'sha256$a$b', organizationId: 'org-1', ownerUserId: USER, grants: ['client_credentials'], active: true, frontend: false, allApis: true, apis: [], scopes: [], applicationUrl: null, description: null }, minute(1), { userAgent: '=HYPERLINK("http://evil")' }));
  await store.setStreamMaxAge(tokens, 60);
  for (let m = 2; m <= 31; m += 1) {
    if (m === 10) await at(10, app, event('ApplicationUpdated', { applicationId: APP, changes: { name: { from: 'Old', to: 'New' } } }, minute(10), { actorKind: 'user', via: 'console' } as Partial<EventMetadata>));
    if (m === 20) await at(20, app, event('ApplicationSecretRotated', { applicationId: APP, secretHash: 'sha256$c$d', previousSecretValidUntil: null }, minute(20), { actorKind: 'client', via: CLIENT } as Partial<EventMetadata>));
    await at(m, tokens, event('TokenIssued', { jti: `jti-${m}`, applicationId: APP, clientId: CLIENT, grant: 'client_credentials', sub: USER, aud: [], scope: '', exp: 0 }, minute(m), { actor: `client:${CLIENT}` }));
  }
  await at(32, app, event('ApplicationDeleted', { applicationId: APP }, minute(32)));
  await store.enforceRetention(minute(13));
  return {
    store,
    dir,
    keptTokenMinutes: Array.from({ length: 20 }, (_, i) => 12 + i),
    async close() {
      await store.close();
      await dir.remove();
    },
  };
}

/** Records every stream read's maxCount, to show no read is unbounded. */
export function recordingReads(store: EventStore): { store: EventStore; maxCounts: Array<number | undefined> } {
  const maxCounts: Array<number | undefined> = [];
  return {
    maxCounts,
    store: {
      ...store,
      readStream(name, options) {
        maxCounts.push(options?.maxCount);
        return store.readStream(name, options);
      },
    },
  };
}
