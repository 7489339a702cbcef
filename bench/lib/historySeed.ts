import { randomUUID } from 'node:crypto';
import { toTokensStreamName } from '../../src/domain/shared/streamNames.js';
import type { EventStore, NewEvent } from '../../src/eventStore/eventStore.js';
import { createPostgresEventStore } from '../../src/eventStore/postgres/postgresEventStore.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';

/** Where the seed goes: the embedded store's file, or a PostgreSQL database (EVENTSTORE_URL). */
export type SeedTarget = { file: string } | { postgresUrl: string };

/**
 * Writes `count` TokenIssued events to one application's token stream, straight into the
 * SQLite file or the PostgreSQL database (no server running), spread evenly over the
 * `spanSeconds` before now: what a busy client leaves behind within its retention. Batches of
 * 1,000 events per append.
 */
export async function seedTokenEvents(
  target: SeedTarget,
  applicationId: string,
  clientId: string,
  count: number,
  spanSeconds: number,
  onProgress: (written: number) => void = () => {},
): Promise<void> {
  const store: EventStore =
    'file' in target
      ? createSqliteEventStore({ file: target.file, retentionIntervalMs: 0, livePollMs: 0 })
      : await createPostgresEventStore({ connectionString: target.postgresUrl, retentionIntervalMs: 0 });
  const stream = toTokensStreamName(applicationId);
  const start = Date.now() - spanSeconds * 1000;
  const step = (spanSeconds * 1000) / Math.max(1, count);
  try {
    const batch = 1000;
    const inFlight: Promise<unknown>[] = [];
    for (let written = 0; written < count; written += batch) {
      const events: NewEvent[] = [];
      for (let i = written; i < Math.min(count, written + batch); i += 1) {
        const at = new Date(start + i * step).toISOString();
        events.push({
          id: randomUUID(),
          type: 'TokenIssued',
          data: { jti: randomUUID(), applicationId, clientId, grant: 'client_credentials', sub: 'seed', aud: ['https://api.example'], scope: '', exp: Math.floor(Date.parse(at) / 1000) + 3600 },
          metadata: { actor: `client:${clientId}`, occurredAt: at, correlationId: randomUUID(), ip: '127.0.0.1' },
        });
      }
      inFlight.push(store.appendToStream(stream, events));
      if (inFlight.length >= 8) await Promise.all(inFlight.splice(0));
      onProgress(Math.min(count, written + batch));
    }
    await Promise.all(inFlight);
  } finally {
    await store.close();
  }
}
