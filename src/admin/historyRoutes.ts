import { Readable } from 'node:stream';
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { EXPORT_CONTENT_TYPES, startExport } from '../audit/historyExport.js';
import { writeExport } from '../audit/exportWriter.js';
import { parseHistoryParameters } from '../audit/historyParameters.js';
import type { AdminDeps } from './adminDeps.js';
import { loadVisibleApplication } from './applicationAccess.js';

/** The same query string with another cursor: the `next` link. */
function nextLink(ctx: Context, cursor: string): string {
  const params = new URLSearchParams(ctx.querystring);
  params.set('cursor', cursor);
  return `${ctx.path}?${params.toString()}`;
}

/**
 * `GET /admin/oauth-applications/:id/history`: bounded pages (cursor `next` links, newest first
 * by default) or, with `format=jsonl|csv`, the whole filtered history streamed.
 */
export function registerHistoryRoutes(router: Router, deps: AdminDeps): void {
  router.get('/admin/oauth-applications/:id/history', async (ctx) => {
    const { state } = await loadVisibleApplication(ctx, deps, { allowDeleted: true });
    const parameters = parseHistoryParameters(ctx.query);
    const query = { ...parameters.query, applicationId: state.applicationId };
    ctx.set('Cache-Control', 'no-store');
    if (parameters.format !== undefined) {
      const pages = await startExport(deps.audit.exportPages(query, parameters.format));
      ctx.type = EXPORT_CONTENT_TYPES[parameters.format];
      ctx.set('Content-Disposition', `attachment; filename="history-${state.applicationId}.${parameters.format}"`);
      // Written here page by page (writeExport: the next page only after the socket took the
      // last), not through a body stream that would pull pages ahead of the socket.
      ctx.status = 200;
      if (ctx.method === 'HEAD') {
        await pages[Symbol.asyncIterator]().return?.(); // headers only: the thread forgets the export
        return;
      }
      ctx.respond = false;
      try {
        await writeExport(ctx.res, pages, parameters.format);
      } catch (error) {
        ctx.app.emit('error', error, ctx); // after the headers: the response was cut short (as Koa does for a failing body)
      }
      return;
    }
    // The entries arrive serialized from where they were read (the reader thread): the body is
    // what Koa would write for { items, next, perPage, order }.
    const page = await deps.audit.readHistoryPageJson(query, parameters.cursor);
    const next = page.next === null ? null : nextLink(ctx, page.next);
    if (next !== null) ctx.set('Link', `<${next}>; rel="next"`);
    ctx.type = 'application/json';
    const rest = `,"next":${JSON.stringify(next)},"perPage":${JSON.stringify(query.perPage)},"order":${JSON.stringify(query.order)}}`;
    if (typeof page.items === 'string') {
      ctx.body = `{"items":${page.items}${rest}`;
      return;
    }
    // The thread's bytes are written as they came (no copy of the page into a new buffer).
    const parts = [Buffer.from('{"items":'), page.items, Buffer.from(rest)];
    ctx.body = Readable.from(parts, { objectMode: false });
    ctx.length = parts.reduce((length, part) => length + part.byteLength, 0);
  });
}
