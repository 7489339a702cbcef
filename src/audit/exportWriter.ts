import type { ServerResponse } from 'node:http';
import type { AuditText } from './auditReader.js';
import { CSV_COLUMNS, type ExportFormat } from './historyExport.js';
import { csvRow } from './csv.js';

/**
 * Writes an export's pages to an HTTP response, one at a time: the next page is asked for only
 * once the previous one has been handed to the socket (its write callback), so a slow client
 * holds back the reads (backpressure) and a page's bytes are never needed after the next page
 * is asked for. That is what lets the reader thread write every page of an export into the same
 * shared buffer (threadAuditReader.ts) instead of allocating one per page on the main thread.
 *
 * Resolves 'complete' after the response has ended, 'gone' when the client went away (the pages
 * are closed), and rejects with the reader's error after destroying the response, so a failure
 * after the headers never looks like a complete 200.
 */
export async function writeExport(res: ServerResponse, pages: AsyncIterable<AuditText>, format: ExportFormat): Promise<'complete' | 'gone'> {
  if (format === 'csv' && !(await written(res, csvRow(CSV_COLUMNS)))) {
    await pages[Symbol.asyncIterator]().return?.();
    return 'gone';
  }
  try {
    for await (const page of pages) {
      // Leaving the loop early closes the pages (the thread forgets the export).
      if (!(await written(res, page))) return 'gone';
    }
  } catch (error) {
    res.destroy();
    throw error;
  }
  await new Promise<void>((resolve) => res.end(resolve));
  return 'complete';
}

/** Writes one chunk; true once the socket has taken it, false if the connection closed first. */
function written(res: ServerResponse, chunk: AuditText): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) {
      resolve(false);
      return;
    }
    // A destroyed socket never calls the write callback: its close answers instead.
    const closed = () => resolve(false);
    res.once('close', closed);
    res.write(chunk, (error) => {
      res.off('close', closed);
      resolve(error === undefined || error === null);
    });
  });
}
