/**
 * The audit reader thread: history pages and export pages of the embedded SQLite store, read,
 * decoded, described and rendered here, on a thread of low OS priority (threadPriority.ts)
 * with its own read-only connection, so auditors use the CPU the token endpoint leaves. The
 * main thread authorizes and parses the request, asks here (threadAuditReader.ts) and pipes
 * what it gets back.
 *
 * The code is the in-process reader's (auditReader.ts → historyQuery.ts): pages and export
 * pages take turns one at a time in arrival order (auditGate.ts: an export re-queues after each
 * page, so no auditor starves the others), and since nothing else runs on this thread's loop
 * the gate only yields between chunks. Client id → application id is asked of the main thread
 * (its state cache), so `via` and `actorName` are the same as in process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StoreUnavailableError, type EventStore } from '../eventStore/eventStore.js';
import { openReadOnlySqliteEventStore } from '../eventStore/sqlite/readOnlySqliteEventStore.js';
import type { ClientDirectory } from './actorDescription.js';
import { createInProcessAuditReader, type AuditReader, type AuditText } from './auditReader.js';
import {
  toReaderWireError,
  type FromReader,
  type ReaderCalls,
  type ReaderConfig,
  type ToReader,
} from './readerProtocol.js';
import { AUDIT_READER_NICENESS, lowerThisThreadPriority } from './threadPriority.js';

const port = parentPort!;
const config = workerData as ReaderConfig;
const post = (message: FromReader, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const utf8 = new TextEncoder();
/** Rendered text as bytes with a buffer of their own, to transfer (a pooled Buffer would give away its pool). */
const bytesOf = (text: AuditText): Uint8Array => (typeof text === 'string' ? utf8.encode(text) : text);
/** A page written into the export's shared buffer (its length), or as bytes of its own when it does not fit. */
const intoSlot = (text: AuditText, slot: SharedArrayBuffer): number | Uint8Array => {
  if (typeof text !== 'string') return text;
  const { read, written } = utf8.encodeInto(text, new Uint8Array(slot));
  return read === text.length ? written : utf8.encode(text);
};
/** The buffers of a reply to transfer rather than copy. */
const transferOf = (value: unknown): ArrayBuffer[] => {
  if (value instanceof Uint8Array) return [value.buffer as ArrayBuffer];
  const items = (value as { items?: unknown } | null)?.items;
  return items instanceof Uint8Array ? [items.buffer as ArrayBuffer] : [];
};

post({ type: 'started', status: lowerThisThreadPriority(AUDIT_READER_NICENESS) });

let store: EventStore | undefined;
let openError: unknown;
try {
  store = openReadOnlySqliteEventStore({ file: config.file, cacheSizeKib: config.cacheSizeKib });
} catch (error) {
  openError = error; // every request answers it; the main thread starts a new thread after a crash only
}

let nextQuestion = 1;
const questions = new Map<number, { resolve(applicationId: string | null): void; reject(error: Error): void }>();
const clients: ClientDirectory = (clientId) =>
  new Promise((resolve, reject) => {
    const id = nextQuestion++;
    questions.set(id, { resolve, reject });
    post({ type: 'client', id, clientId });
  });

const reader: AuditReader | undefined = store && createInProcessAuditReader(store, clients);
const exports = new Map<number, AsyncIterator<AuditText>>();

type Call = Extract<ToReader, { type: 'call' }>;

async function handle(request: Call): Promise<ReaderCalls[Call['call']]['reply']> {
  if (reader === undefined) throw openError instanceof Error ? openError : new StoreUnavailableError('Audit reads: the store file could not be opened');
  switch (request.call) {
    case 'page':
      return reader.readHistoryPage(request.query, request.cursor);
    case 'pageJson': {
      const page = await reader.readHistoryPageJson(request.query, request.cursor);
      return { items: bytesOf(page.items), next: page.next };
    }
    case 'exportOpen':
      exports.set(request.id, reader.exportPages(request.query, request.format)[Symbol.asyncIterator]());
      return null;
    case 'exportNext': {
      const pages = exports.get(request.exportId);
      if (pages === undefined) throw new StoreUnavailableError('Audit reads: this export is no longer open');
      try {
        const next = await pages.next();
        if (!next.done) return intoSlot(next.value, request.slot);
      } catch (error) {
        exports.delete(request.exportId);
        throw error;
      }
      exports.delete(request.exportId);
      return null;
    }
    case 'exportClose': {
      const pages = exports.get(request.exportId);
      exports.delete(request.exportId);
      await pages?.return?.();
      return null;
    }
    default: {
      const unknown: never = request;
      throw new TypeError(`reader: unknown request ${JSON.stringify(unknown)}`);
    }
  }
}

port.on('message', (message: ToReader) => {
  if (message.type === 'client') {
    const question = questions.get(message.id);
    questions.delete(message.id);
    if (message.failed) question?.reject(new Error('the client directory failed'));
    else question?.resolve(message.applicationId);
    return;
  }
  handle(message).then(
    (value) => post({ type: 'reply', id: message.id, ok: true, value }, transferOf(value)),
    (error: unknown) => post({ type: 'reply', id: message.id, ok: false, error: toReaderWireError(error) }),
  );
});
