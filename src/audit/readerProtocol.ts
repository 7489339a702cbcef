import { DomainError, isDomainError, type DomainErrorCode, type FieldError } from '../domain/shared/domainError.js';
import { fromWireError, toWireError, type WireError } from '../eventStore/sqlite/writerProtocol.js';
import type { HistoryPageJson } from './auditReader.js';
import type { ExportFormat } from './historyExport.js';
import type { HistoryPage, HistoryQuery } from './historyQuery.js';

/**
 * Messages between the main thread and the audit reader thread (readerWorker.ts). They cross
 * `postMessage` (structured clone: Dates survive, class identity does not), so errors travel
 * as data and are rebuilt as the same classes: a DomainError (a tampered cursor, 400) stays
 * one, a StoreUnavailableError (503) stays one; anything else arrives as a plain Error (500).
 */

export interface ReaderConfig {
  /** The store file (already opened and upgraded by the main thread's store). */
  file: string;
  /** The thread's own page cache, KiB. */
  cacheSizeKib: number;
}

/** What the thread reports once started: its OS thread id and the niceness it runs at (null: unknown / not lowered). */
export interface ReaderThreadStatus {
  tid: number | null;
  niceness: number | null;
}

/** Requests and the value each one answers with. */
export interface ReaderCalls {
  page: { request: { query: HistoryQuery; cursor?: string }; reply: HistoryPage };
  pageJson: { request: { query: HistoryQuery; cursor?: string }; reply: HistoryPageJson };
  /** Starts an export named by this request's id; nothing is read until `exportNext`. */
  exportOpen: { request: { query: HistoryQuery; format: ExportFormat }; reply: null };
  /**
   * The export's next page as UTF-8: written into `slot` (the export's shared buffer), the reply
   * is its length; a page larger than the slot comes back as bytes of its own (transferred).
   * null: the export is complete (and forgotten).
   */
  exportNext: { request: { exportId: number; slot: SharedArrayBuffer }; reply: number | Uint8Array | null };
  /** Forgets an export its consumer stopped reading. */
  exportClose: { request: { exportId: number }; reply: null };
}

export type ReaderCall = keyof ReaderCalls;

export type ToReader =
  | ({ [K in ReaderCall]: { type: 'call'; id: number; call: K } & ReaderCalls[K]['request'] }[ReaderCall])
  /** The main thread's answer to a `client` question (failed: its directory threw, the read fails as it would in process). */
  | { type: 'client'; id: number; applicationId: string | null; failed?: true };

export type FromReader =
  | { type: 'started'; status: ReaderThreadStatus }
  | { type: 'reply'; id: number; ok: true; value: ReaderCalls[ReaderCall]['reply'] }
  | { type: 'reply'; id: number; ok: false; error: ReaderWireError }
  /** The describer asks which application a client id belongs to (main answers from its state cache). */
  | { type: 'client'; id: number; clientId: string };

export type ReaderWireError = { kind: 'domain'; code: DomainErrorCode; message: string; errors: FieldError[] } | WireError;

export function toReaderWireError(error: unknown): ReaderWireError {
  if (isDomainError(error)) return { kind: 'domain', code: error.code, message: error.message, errors: error.errors };
  return toWireError(error);
}

export function fromReaderWireError(wire: ReaderWireError): Error {
  if (wire.kind === 'domain') return new DomainError(wire.code, wire.message, wire.errors);
  return fromWireError(wire);
}
