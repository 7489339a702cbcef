import { Readable } from 'node:stream';
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

/**
 * The whole history as a byte stream, pulled page by page: `Readable.from` asks for the next
 * chunk only when the consumer has taken the last one, so a slow client holds back the reads
 * (backpressure) and memory stays at one page.
 */
export function exportHistory(pages: AsyncIterable<AuditedEntry[]>, format: ExportFormat): Readable {
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield csvRow(CSV_COLUMNS);
    for await (const page of pages) {
      yield page.map((entry) => (format === 'csv' ? csvLine(entry) : `${JSON.stringify(entry)}\n`)).join('');
    }
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}
