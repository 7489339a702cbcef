/**
 * `npx tsx bench/readAllBench.ts`: the cost of reading events back from the SQLite store, as
 * the projection runner does for every issued token. Writes 50,000 TokenIssued-like events
 * (100 applications) and then reads them all with `readAll` in pages of 500 under the
 * projection runner's stream-prefix filter, three ways:
 *   - `envelope`: touches only streamName and recordedAt (what lastUsedProjection reads);
 *   - `data`: also reads data.applicationId and metadata.occurredAt (both JSON columns);
 *   - `spread`: copies each event with `{ ...event }` (every property is read).
 * BENCH_EVENTS: how many events; BENCH_ROUNDS: timed rounds per way (best is reported).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RecordedEvent } from '../src/eventStore/eventStore.js';
import { createSqliteEventStore } from '../src/eventStore/sqliteEventStore.js';

const total = Number(process.env['BENCH_EVENTS'] ?? 50_000);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const applications = 100;
const pageSize = 500;

const dir = await mkdtemp(join(process.env['BENCH_DIR'] ?? tmpdir(), 'tollgate-readall-'));
const store = createSqliteEventStore({ file: join(dir, 'events.sqlite'), retentionIntervalMs: 0, livePollMs: 0 });
try {
  const appIds = Array.from({ length: applications }, () => randomUUID());
  for (let written = 0; written < total; ) {
    const appends: Promise<unknown>[] = [];
    for (let i = 0; i < 1000 && written < total; i += 1, written += 1) {
      const applicationId = appIds[written % applications]!;
      const jti = randomUUID();
      appends.push(
        store.appendToStream(`oauthTokens-${applicationId}`, [
          {
            id: randomUUID(),
            type: 'TokenIssued',
            data: {
              jti, applicationId, clientId: `client-${applicationId}`, grant: 'client_credentials',
              sub: `client-${applicationId}`, aud: ['https://api.example.test'], scope: 'read write',
              exp: 1_900_000_000,
            },
            metadata: { actor: `client:${applicationId}`, occurredAt: new Date().toISOString(), correlationId: randomUUID(), ip: '127.0.0.1' },
          },
        ]),
      );
    }
    await Promise.all(appends);
  }

  const ways: Record<string, (event: RecordedEvent) => number> = {
    envelope: (event) => event.streamName.length + event.recordedAt.length,
    data: (event) =>
      (event.data as { applicationId: string }).applicationId.length + event.metadata.occurredAt.length,
    spread: (event) => Object.keys({ ...event }).length,
  };
  // The projection runner's filter: the union of its projections' prefixes. (With a single
  // prefix SQLite plans a range on the stream index plus a sort, see the report.)
  const filter = { streamPrefixes: ['organization-', 'user-', 'oauthApplication-', 'oauthTokens-'] };
  const readEverything = async (touch: (event: RecordedEvent) => number): Promise<number> => {
    let after = 0;
    let sink = 0;
    for (;;) {
      const page = await store.readAll({ afterPosition: after, maxCount: pageSize, filter });
      for (const event of page) sink += touch(event);
      if (page.length < pageSize) return sink;
      after = page.at(-1)!.position;
    }
  };

  console.log(`readAll of ${total} TokenIssued events, pages of ${pageSize}, best of ${rounds} rounds`);
  for (const [name, touch] of Object.entries(ways)) {
    await readEverything(touch); // warm-up
    let best = Infinity;
    for (let round = 0; round < rounds; round += 1) {
      const started = performance.now();
      await readEverything(touch);
      best = Math.min(best, performance.now() - started);
    }
    const perEventUs = (best * 1000) / total;
    console.log(`  ${name.padEnd(9)} ${best.toFixed(1).padStart(8)} ms  ${perEventUs.toFixed(2).padStart(6)} µs/event`);
  }
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
