import type { EventStore } from '../eventStore/eventStore.js';
import type { ClientDirectory } from './actorDescription.js';
import { createInProcessAuditReader, type AuditReader } from './auditReader.js';
import { createThreadAuditReader } from './threadAuditReader.js';

export interface AuditReaderOptions {
  /**
   * Start the reader thread now rather than with the first read, so the first page does not
   * wait for it (~60 ms compiled, ~350 ms under tsx). The server does, except under
   * NODE_ENV=test: the suites start hundreds of servers that never read history.
   */
  startNow?: boolean;
  /** Told when the thread could not lower its priority. */
  onNotice?: (message: string) => void;
}

/**
 * The audit reader for a store: the embedded SQLite file store reads history on the
 * low-priority reader thread (its reads are synchronous and would otherwise run on the event
 * loop); a `:memory:` store (no file another connection could open) and the PostgreSQL and
 * EventStoreDB stores (asynchronous drivers) read in process, paced by auditGate.ts.
 */
export function createAuditReader(store: EventStore, clients: ClientDirectory, options: AuditReaderOptions = {}): AuditReader {
  const file = store.kind === 'sqlite' ? (store as { file?: unknown }).file : undefined;
  if (typeof file === 'string' && file !== ':memory:' && file !== '') {
    const reader = createThreadAuditReader({ file, clients, ...(options.onNotice && { onNotice: options.onNotice }) });
    // Unref'd and idle until a read: it never holds the process open.
    if (options.startNow === true) void reader.threadStatus();
    return reader;
  }
  return createInProcessAuditReader(store, clients);
}
