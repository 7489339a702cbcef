import type { EventStore } from '../eventStore/eventStore.js';
import { createActorDescriber, type ClientDirectory } from './actorDescription.js';
import { renderExportPage, type ExportFormat } from './historyExport.js';
import { historyPages, readHistoryPage, type HistoryPage, type HistoryQuery } from './historyQuery.js';

/**
 * Text the reader rendered: a string in process; UTF-8 bytes from the reader thread, whose
 * buffer is transferred, not copied, so a page never lands in the main thread's V8 heap
 * (large strings go straight to its old generation and stay there until a full collection).
 */
export type AuditText = string | Uint8Array;

/** A history page with its entries already serialized: `items` is the JSON array text. */
export interface HistoryPageJson {
  items: AuditText;
  next: string | null;
}

/**
 * The port through which the admin API and the console read an application's history (the
 * application is authorized and the query parsed before). Two adapters: in process
 * (`createInProcessAuditReader`, any store) and on a low-priority reader thread with its own
 * read-only connection (`threadAuditReader.ts`, the embedded SQLite file store). Both answer
 * the same pages, bytes and errors (a tampered cursor is the same VALIDATION DomainError).
 */
export interface AuditReader {
  /** One page of entries (the console's tabs). */
  readHistoryPage(query: HistoryQuery, cursor?: string): Promise<HistoryPage>;
  /** One page with its entries serialized where they were read (the admin API's JSON page). */
  readHistoryPageJson(query: HistoryQuery, cursor?: string): Promise<HistoryPageJson>;
  /**
   * The whole filtered history as export pages (JSON Lines / CSV text, no CSV header), pulled:
   * the next page is read only when the consumer asks for it, so backpressure holds. A page
   * given as bytes may be a view of a buffer the next page is written into: it is valid until
   * the next page is asked for (write it or copy it first, as `writeExport` does).
   */
  exportPages(query: HistoryQuery, format: ExportFormat): AsyncIterable<AuditText>;
  close(): Promise<void>;
}

/**
 * Today's code on the calling thread: paced by auditGate.ts. For the PostgreSQL and
 * EventStoreDB stores (their drivers do not block the loop), the `:memory:` SQLite store, the
 * audit CLI, and inside the reader thread itself.
 */
export function createInProcessAuditReader(store: EventStore, clients: ClientDirectory): AuditReader {
  const describer = () => createActorDescriber(store, clients);
  return {
    readHistoryPage: (query, cursor) => readHistoryPage(store, query, describer(), cursor),
    async readHistoryPageJson(query, cursor) {
      const page = await readHistoryPage(store, query, describer(), cursor);
      return { items: JSON.stringify(page.items), next: page.next };
    },
    exportPages: (query, format) => historyPages(store, query, describer(), renderExportPage(format)),
    close: async () => undefined,
  };
}
