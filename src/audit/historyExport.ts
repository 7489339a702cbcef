import { Readable } from 'node:stream';
import type { AuditText } from './auditReader.js';
import type { AuditedEntry } from './historyQuery.js';
import { csvRow } from './csv.js';

export type ExportFormat = 'jsonl' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['jsonl', 'csv'];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/jsonl; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** CSV columns, in order (README, "Audit exports"). `data` is the entry's data as JSON. */
export const CSV_COLUMNS = [
  'occurredAt',
  'recordedAt',
  'type',
  'stream',
  'revision',
  'position',
  'actor',
  'actorKind',
  'actorName',
  'viaClientId',
  'viaApplicationName',
  'ip',
  'userAgent',
  'correlationId',
  'data',
] as const;

const csvLine = (entry: AuditedEntry): string => {
  const via = entry.via;
  return csvRow([
    entry.occurredAt,
    entry.recordedAt,
    entry.type,
    entry.stream,
    entry.revision,
    entry.position,
    entry.actor,
    entry.actorKind,
    entry.actorName,
    via === null ? null : via === 'console' ? 'console' : via.clientId,
    via === null || via === 'console' ? null : via.applicationName,
    entry.ip,
    entry.userAgent,
    entry.correlationId,
    JSON.stringify(entry.data),
  ]);
};

/** One page of entries as export lines (what `historyPages` renders inside the audit turn). */
export function renderExportPage(format: ExportFormat): (entries: AuditedEntry[]) => string {
  return format === 'csv'
    ? (entries) => entries.map(csvLine).join('')
    : (entries) => entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

/**
 * The whole history as a byte stream, pulled page by page (pages rendered by
 * `renderExportPage`): `Readable.from` asks for the next page only when its buffer is below
 * the high-water mark, and the HTTP response (or file) it is piped into stops it while the
 * socket's buffer is full, so a slow client holds back the reads (backpressure) and memory
 * stays at a page or two per export. For pages of text (the in-process reader: the audit CLI);
 * `Readable.from` pulls ahead of its consumer, so pages that are views of a reused buffer (the
 * reader thread's) go through `writeExport` instead.
 */
export function exportHistory(pages: AsyncIterable<string>, format: ExportFormat): Readable {
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield csvRow(CSV_COLUMNS);
    yield* pages;
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}

/**
 * Reads an export's first page before the response starts, so a reader that cannot read (the
 * store or the reader thread unavailable) answers with its error status (503) instead of a
 * 200 cut short. The rest is pulled as before; `return` (a client gone) reaches the pages.
 */
export async function startExport(pages: AsyncIterable<AuditText>): Promise<AsyncIterable<AuditText>> {
  const iterator = pages[Symbol.asyncIterator]();
  let first: IteratorResult<AuditText> | undefined = await iterator.next();
  const rest: AsyncIterableIterator<AuditText> = {
    [Symbol.asyncIterator]: () => rest,
    next() {
      if (first === undefined) return iterator.next();
      const head = first;
      first = undefined;
      return Promise.resolve(head);
    },
    return(value?: unknown) {
      first = undefined;
      return iterator.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
    },
  };
  return rest;
}
