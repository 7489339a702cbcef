import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { createActorDescriber } from '../audit/actorDescription.js';
import { EXPORT_CONTENT_TYPES, exportHistory, renderExportPage } from '../audit/historyExport.js';
import { parseHistoryParameters } from '../audit/historyParameters.js';
import { historyPages, readHistoryPage } from '../audit/historyQuery.js';
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
    const describe = createActorDescriber(deps.store, deps.applicationIdOfClient);
    ctx.set('Cache-Control', 'no-store');
    if (parameters.format !== undefined) {
      ctx.type = EXPORT_CONTENT_TYPES[parameters.format];
      ctx.set('Content-Disposition', `attachment; filename="history-${state.applicationId}.${parameters.format}"`);
      ctx.body = exportHistory(historyPages(deps.store, query, describe, renderExportPage(parameters.format)), parameters.format);
      return;
    }
    const page = await readHistoryPage(deps.store, query, describe, parameters.cursor);
    const next = page.next === null ? null : nextLink(ctx, page.next);
    if (next !== null) ctx.set('Link', `<${next}>; rel="next"`);
    ctx.body = { items: page.items, next, perPage: query.perPage, order: query.order };
  });
}
