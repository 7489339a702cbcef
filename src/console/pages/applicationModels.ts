import { canManageApplication } from '../../authorization/applicationPolicy.js';
import type { Principal } from '../../authorization/principal.js';
import type { ApiCatalog } from '../../apiCatalog/apiCatalog.js';
import { CONSOLE_APPLICATION_ID } from '../../domain/application/consoleClient.js';
import type { ApplicationGridRow } from '../../../projections/readModel.js';

export const GRANT_LABELS: Record<string, string> = {
  client_credentials: 'Client Credentials',
  password: 'Password',
  authorization_code: 'Authorization Code',
  refresh_token: 'Refresh Token',
};

export const apiNames = (catalog: ApiCatalog, app: { allApis: boolean; apis: readonly string[] }): string =>
  app.allApis ? 'All' : app.apis.map((id) => catalog.byId(id)?.name ?? id).join(', ') || 'None';

/** What a row's More Options menu offers: only what the caller may do. */
export function rowActions(principal: Principal, app: { id: string; organizationId: string; ownerUserId: string | null; active: boolean; deleted: boolean }) {
  // The console's own client is Tollgate's: it is shown, not edited from the console.
  const manage = !app.deleted && app.id !== CONSOLE_APPLICATION_ID && canManageApplication(principal, app);
  return { view: true, edit: manage, activate: manage && !app.active, deactivate: manage && app.active, rotate: manage, delete: manage };
}

export function applicationRow(row: ApplicationGridRow, principal: Principal, catalog: ApiCatalog) {
  return {
    id: row.id,
    name: row.name,
    clientId: row.clientId,
    organizationName: row.organizationName || row.organizationId,
    ownerUserId: row.ownerUserId,
    ownerUsername: row.ownerUsername,
    active: row.active,
    apis: apiNames(catalog, row),
    grants: row.grants.map((g) => GRANT_LABELS[g] ?? g).join(', '),
    lastUsedAt: row.lastUsedAt,
    revision: row.revision,
    allApis: row.allApis,
    apiIds: row.apis,
    actions: rowActions(principal, { ...row, id: row.id }),
  };
}

/** Query-string helpers: the grid's filters, sort and page stay in the URL. */
export function cleanQuery(query: Record<string, unknown>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = query[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

export const withQuery = (path: string, query: Record<string, string>): string => {
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
};

/** Sortable column headers: link toggles direction; aria-sort for the current one. */
export function sortHeaders(path: string, query: Record<string, string>, fields: readonly string[]) {
  const current = query.sort ?? '-createdAt';
  const desc = current.startsWith('-');
  const currentField = current.replace(/^-/, '').replace(/:(asc|desc)$/, '');
  return Object.fromEntries(
    fields.map((f) => {
      const active = currentField === f;
      const next = active && !desc ? `-${f}` : f;
      const { page: _page, ...rest } = query;
      return [f, { href: withQuery(path, { ...rest, sort: next }), ariaSort: active ? (desc ? 'descending' : 'ascending') : 'none' }];
    }),
  );
}

export function pager(path: string, query: Record<string, string>, page: { page: number; perPage: number; total: number }) {
  const pages = Math.max(1, Math.ceil(page.total / page.perPage));
  const link = (n: number) => withQuery(path, { ...query, page: String(n) });
  return {
    page: page.page,
    pages,
    total: page.total,
    prev: page.page > 1 ? link(page.page - 1) : undefined,
    next: page.page < pages ? link(page.page + 1) : undefined,
  };
}

/** A same-site console path to go back to after an action, or the fallback. */
export const safeReturn = (value: string | null | undefined, fallback: string): string =>
  typeof value === 'string' && /^\/console\/[A-Za-z0-9/_?=&%.-]*$/.test(value) && !/\/\.\.?(\/|$|\?)|\/\//.test(value) ? value : fallback;
