import type { EventStore } from '../eventStore/eventStore.js';
import type { ClientDirectory } from './actorDescription.js';
import { createInProcessAuditReader, type AuditReader } from './auditReader.js';
import { createThreadAuditReader } from './threadAuditReader.js';

/**
 * The audit reader for a store: the embedded SQLite file store reads history on the
 * low-priority reader thread (its reads are synchronous and would otherwise run on the event
 * loop); a `:memory:` store (no file another connection could open) and the PostgreSQL and
 * EventStoreDB stores (asynchronous drivers) read in process, paced by auditGate.ts.
 */
export function createAuditReader(store: EventStore, clients: ClientDirectory, onNotice?: (message: string) => void): AuditReader {
  const file = store.kind === 'sqlite' ? (store as { file?: unknown }).file : undefined;
  if (typeof file === 'string' && file !== ':memory:' && file !== '') {
    return createThreadAuditReader({ file, clients, ...(onNotice && { onNotice }) });
  }
  return createInProcessAuditReader(store, clients);
}
