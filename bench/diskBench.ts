/**
 * `npm run bench:disk -- [--tokens 20000] [--applications 20]`
 *
 * Bytes on disk per audited token on the embedded SQLite store: the same N tokens' TokenIssued
 * (realistic data: UUID ids, the default catalog's four back-office audiences, scopes, IP, user
 * agent, correlation id) written three ways, each into a fresh DATA_DIR, side by side:
 *
 * - before: the first release's schema (version 1) and its full TokenIssued;
 * - new schema, full event: today's store given the first release's TokenIssued shape;
 * - after: today's token audit (compact TokenIssued version 2) on today's store.
 *
 * The figure is the DATA_DIR size after the store is closed (the WAL checkpointed into the
 * file) divided by N. While a store runs, its WAL adds up to wal_autocheckpoint (8000 pages,
 * ~32 MB) on top: a constant, not a per-token cost.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TokenIssued } from '../src/domain/tokens/tokenEvents.js';
import { toTokensStreamName } from '../src/domain/shared/streamNames.js';
import { createSqliteEventStore } from '../src/eventStore/sqliteEventStore.js';
import { newEventId } from '../src/security/ids.js';
import { toEventMetadata } from '../src/eventStore/eventMetadata.js';
import { clientMetadata, type RequestInfo } from '../src/tokens/requestInfo.js';
import { createTokenAudit } from '../src/tokens/tokenAudit.js';
import { writeSchemaV1File } from '../test/support/sqliteSchemaV1.js';

const { values } = parseArgs({ options: { tokens: { type: 'string', default: '20000' }, applications: { type: 'string', default: '20' } } });
const tokenCount = Number(values.tokens);
const applicationCount = Number(values.applications);
if (!Number.isInteger(tokenCount) || tokenCount < 1 || !Number.isInteger(applicationCount) || applicationCount < 1) {
  console.error('--tokens and --applications must be whole numbers >= 1');
  process.exit(2);
}

const issuer = 'https://tollgate.example.com';
const aud = ['/admin', '/api', '/api/email', '/scim/v2'].map((path) => issuer + path);
const applications = Array.from({ length: applicationCount }, () => ({
  applicationId: randomUUID(),
  clientId: randomBytes(24).toString('base64url'),
  owner: randomUUID(),
}));
const started = Date.now();
const tokens = Array.from({ length: tokenCount }, (_, i) => {
  const app = applications[i % applicationCount]!;
  const now = new Date(started + i);
  const data: TokenIssued['data'] = {
    jti: randomUUID(), applicationId: app.applicationId, clientId: app.clientId, grant: 'client_credentials',
    sub: app.owner, aud, scope: 'orders:read orders:write', exp: Math.floor(now.getTime() / 1000) + 300,
  };
  const request: RequestInfo = { correlationId: randomUUID(), ip: '203.0.113.42', userAgent: 'python-requests/2.32.3' };
  return { data, request, now };
});

const dirSize = async (dir: string): Promise<number> => {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
};

/** Writes through the store the way the token path does: many appends in flight, group-committed. */
async function throughStore(write: (token: (typeof tokens)[number]) => Promise<unknown>): Promise<void> {
  const inFlight = 64;
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < tokens.length) await write(tokens[next++]!);
  }));
}

async function measure(name: string, fill: (dir: string) => Promise<void>): Promise<number> {
  const dir = await mkdtemp(join(process.env['BENCH_DIR'] ?? tmpdir(), 'tollgate-disk-'));
  try {
    await fill(dir);
    const bytes = await dirSize(dir);
    console.log(`${name.padEnd(32)} ${String(Math.round(bytes / 1024)).padStart(8)} kB  ${(bytes / tokenCount).toFixed(0).padStart(6)} bytes/token`);
    return bytes / tokenCount;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(`${tokenCount} tokens over ${applicationCount} applications; DATA_DIR size after close / tokens`);
const before = await measure('before: schema 1, full event', async (dir) => {
  writeSchemaV1File(
    join(dir, 'events.sqlite'),
    tokens.map(({ data, request, now }) => ({
      id: newEventId(), stream: toTokensStreamName(data.applicationId), type: 'TokenIssued', data,
      metadata: { ...toEventMetadata('TokenIssued', clientMetadata(data, request, now)) }, recordedAt: now.toISOString(),
    })),
  );
});
await measure('schema 2, full event', async (dir) => {
  const store = createSqliteEventStore({ file: join(dir, 'events.sqlite'), retentionIntervalMs: 0 });
  await throughStore(({ data, request, now }) =>
    store.appendToStream(toTokensStreamName(data.applicationId), [
      { id: newEventId(), type: 'TokenIssued', data, metadata: toEventMetadata('TokenIssued', clientMetadata(data, request, now)) },
    ]),
  );
  await store.close();
});
const after = await measure('after: schema 2, TokenIssued v2', async (dir) => {
  const store = createSqliteEventStore({ file: join(dir, 'events.sqlite'), retentionIntervalMs: 0 });
  const audit = createTokenAudit({ store, retentionSeconds: 90 * 86_400 });
  await throughStore(({ data, request, now }) => audit.issued(data, request, now));
  await store.close();
});
console.log(`after / before: ${(after / before).toFixed(2)} (target: <= 400 bytes/token)`);
