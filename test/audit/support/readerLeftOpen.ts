/**
 * A process that reads a history page through the reader thread and never closes the reader
 * (nor anything else but the store): it must still exit by itself, the thread being unref'd.
 * Run by threadAuditReader.test.ts; prints the page's size.
 */
import { randomUUID } from 'node:crypto';
import { createThreadAuditReader } from '../../../src/audit/threadAuditReader.js';
import { toApplicationStreamName } from '../../../src/domain/shared/streamNames.js';
import { createSqliteEventStore } from '../../../src/eventStore/sqliteEventStore.js';

const file = process.argv[2]!;
const store = createSqliteEventStore({ file, retentionIntervalMs: 0, livePollMs: 0 });
await store.appendToStream(toApplicationStreamName('left-open'), [
  { id: randomUUID(), type: 'ApplicationCreated', data: { applicationId: 'left-open', name: 'Left open' }, metadata: { actor: 'system', occurredAt: new Date().toISOString(), correlationId: randomUUID() } },
]);
const reader = createThreadAuditReader({ file, clients: async () => null });
const page = await reader.readHistoryPage({ applicationId: 'left-open', includeTokens: false, order: 'desc', perPage: 10 });
await store.close();
process.stdout.write(`${page.items.length}\n`);
