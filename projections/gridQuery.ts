/**
 * The applications grid query, written once. `parseGridQuery` validates raw input (query
 * string values or typed values) into a `GridQuery`; `compileGridQuery` turns it into both an
 * in-memory predicate + comparator and a MongoDB filter + sort document. Both adapters run
 * the compiled form, so they cannot disagree on what a filter means.
 *
 * Order: the sort field, then the id in the same direction (a total, stable order that one
 * MongoDB index can serve forwards or backwards).
 */
import { DomainError } from '../src/domain/shared/domainError.js';
import { GRANTS, type Grant } from '../src/domain/application/applicationEvents.js';
import type { ApplicationGridRow } from './readModel.js';
import {
  compareIds,
  compareSortValues,
  effectiveOrganizationIds,
  parseBoolean,
  parsePaging,
  parseText,
  type ParseErrors,
  type SortValue,
} from './paging.js';

export const GRID_SORT_FIELDS = ['name', 'active', 'createdAt', 'lastUsedAt'] as const;
export type GridSortField = (typeof GRID_SORT_FIELDS)[number];
export type SortDirection = 'asc' | 'desc';

export interface GridFilter {
  /** Case-insensitive substring of the name. */
  name?: string;
  /** Allow-list from authorization: null = every organization. */
  organizationIds: readonly string[] | null;
  /** The caller's optional organization filter (within the allow-list). */
  organizationId?: string;
  active?: boolean;
  grant?: Grant;
  ownerUserId?: string;
  /** Storefront (true) or back-office (false) applications only; from the scope, never the request. */
  frontend?: boolean;
  includeDeleted: boolean;
  /** Set when the request contradicts the forced scope. */
  matchNothing?: boolean;
}

export interface GridQuery {
  filter: GridFilter;
  sort: { field: GridSortField; direction: SortDirection };
  page: number;
  perPage: number;
}

/** Raw input as the HTTP layer has it (strings), or typed values from code. */
export interface GridQueryInput {
  name?: unknown;
  organizationId?: unknown;
  active?: unknown;
  grant?: unknown;
  ownerUserId?: unknown;
  sort?: unknown;
  page?: unknown;
  perPage?: unknown;
}

/** What authorization decides, never taken from the request. */
export interface GridScope {
  organizationIds: readonly string[] | null;
  /** Forces an owner (the "My User" and per-user views). */
  ownerUserId?: string;
  /** Forces a grant (the "My User" view: client credentials). */
  grant?: Grant;
  /** Forces one side: back-office (false) or storefront (true) applications. */
  frontend?: boolean;
  includeDeleted?: boolean;
}

export const DEFAULT_GRID_SORT = { field: 'createdAt', direction: 'desc' } as const;

/** Accepts `name`, `-name` (descending), `name:asc`, `name:desc`. */
function parseSort(raw: unknown, errors: ParseErrors): GridQuery['sort'] {
  const value = parseText('sort', raw, 64, errors);
  if (value === undefined) return { ...DEFAULT_GRID_SORT };
  const match = /^(-)?([A-Za-z]+)(?::(asc|desc))?$/.exec(value.trim());
  const field = match?.[2] as GridSortField | undefined;
  if (!match || field === undefined || !GRID_SORT_FIELDS.includes(field) || (match[1] && match[3])) {
    errors.push({ field: 'sort', message: `sort must be one of ${GRID_SORT_FIELDS.join(', ')}, optionally prefixed with - or suffixed with :asc or :desc` });
    return { ...DEFAULT_GRID_SORT };
  }
  const direction: SortDirection = match[1] ? 'desc' : ((match[3] as SortDirection | undefined) ?? 'asc');
  return { field, direction };
}

function parseGrant(raw: unknown, errors: ParseErrors): Grant | undefined {
  const value = parseText('grant', raw, 64, errors);
  if (value === undefined) return undefined;
  if (!(GRANTS as readonly string[]).includes(value)) {
    errors.push({ field: 'grant', message: `grant must be one of ${GRANTS.join(', ')}` });
    return undefined;
  }
  return value as Grant;
}

/** Throws DomainError('VALIDATION') naming every bad field. */
export function parseGridQuery(input: GridQueryInput, scope: GridScope = { organizationIds: null }): GridQuery {
  const errors: ParseErrors = [];
  const filter: GridFilter = {
    name: parseText('name', input.name, 255, errors),
    organizationIds: scope.organizationIds,
    organizationId: parseText('organizationId', input.organizationId, 200, errors),
    active: parseBoolean('active', input.active, errors),
    grant: parseGrant(input.grant, errors),
    ownerUserId: parseText('ownerUserId', input.ownerUserId, 200, errors),
    includeDeleted: scope.includeDeleted ?? false,
    ...(scope.frontend !== undefined && { frontend: scope.frontend }),
  };
  const sort = parseSort(input.sort, errors);
  const paging = parsePaging(input, errors);
  if (errors.length > 0) throw new DomainError('VALIDATION', 'Invalid grid query', errors);
  // Forced scope wins; a request value that contradicts it matches nothing.
  if (scope.ownerUserId !== undefined) {
    if (filter.ownerUserId !== undefined && filter.ownerUserId !== scope.ownerUserId) filter.matchNothing = true;
    filter.ownerUserId = scope.ownerUserId;
  }
  if (scope.grant !== undefined) {
    if (filter.grant !== undefined && filter.grant !== scope.grant) filter.matchNothing = true;
    filter.grant = scope.grant;
  }
  return { filter, sort, ...paging };
}

export interface MongoGridQuery {
  filter: Record<string, unknown>;
  sort: Array<[string, 1 | -1]>;
  skip: number;
  limit: number;
}

/** The filter with the organization allow-list resolved: what every adapter evaluates. */
export interface ResolvedGridFilter {
  readonly matchNothing: boolean;
  readonly includeDeleted: boolean;
  /** null: any organization; []: none. */
  readonly organizationIds: readonly string[] | null;
  /** Lower-cased name substring. */
  readonly needle?: string;
  readonly active?: boolean;
  readonly grant?: Grant;
  readonly ownerUserId?: string;
  readonly frontend?: boolean;
}

export interface CompiledGridQuery {
  readonly query: GridQuery;
  readonly filter: ResolvedGridFilter;
  readonly matches: (row: ApplicationGridRow) => boolean;
  /** The full order: sort field, then id, both in the query's direction. */
  readonly compare: (a: ApplicationGridRow, b: ApplicationGridRow) => number;
  readonly sortKey: (row: ApplicationGridRow) => SortValue;
  readonly descending: boolean;
  readonly skip: number;
  readonly limit: number;
  readonly mongo: MongoGridQuery;
}

/** The stored field each sort field orders by (name sorts case-insensitively). */
export const GRID_SORT_COLUMNS: Record<GridSortField, keyof ApplicationGridRow> = {
  name: 'nameLower',
  active: 'active',
  createdAt: 'createdAt',
  lastUsedAt: 'lastUsedAt',
};

export const gridSortKeyOf = (field: GridSortField) => (row: ApplicationGridRow): SortValue => {
  switch (field) {
    case 'name':
      return row.nameLower;
    case 'active':
      return row.active ? 1 : 0; // MongoDB orders false before true too
    case 'createdAt':
      return row.createdAt;
    case 'lastUsedAt':
      return row.lastUsedAt;
  }
};

/**
 * A literal for a MongoDB `$regex`: metacharacters escaped, and NUL written as `\x00`, since
 * MongoDB refuses a pattern that contains a NUL byte (`?name=%00` would be a 500).
 */
export const escapeRegExp = (s: string): string =>
  s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\0', '\\x00');

export function compileGridQuery(query: GridQuery): CompiledGridQuery {
  const { filter, sort } = query;
  const orgs = effectiveOrganizationIds(filter.organizationIds, filter.organizationId);
  const orgSet = orgs === null ? null : new Set(orgs);
  const needle = filter.name?.toLowerCase();
  const matches = (row: ApplicationGridRow): boolean =>
    filter.matchNothing !== true &&
    (filter.includeDeleted || !row.deleted) &&
    (orgSet === null || orgSet.has(row.organizationId)) &&
    (needle === undefined || row.nameLower.includes(needle)) &&
    (filter.active === undefined || row.active === filter.active) &&
    (filter.grant === undefined || row.grants.includes(filter.grant)) &&
    (filter.ownerUserId === undefined || row.ownerUserId === filter.ownerUserId) &&
    (filter.frontend === undefined || row.frontend === filter.frontend);

  const sortKey = gridSortKeyOf(sort.field);
  const sign = sort.direction === 'asc' ? 1 : -1;
  const compare = (a: ApplicationGridRow, b: ApplicationGridRow): number =>
    sign * (compareSortValues(sortKey(a), sortKey(b)) || compareIds(a.id, b.id));

  const mongoFilter: Record<string, unknown> = {};
  if (!filter.includeDeleted) mongoFilter.deleted = false;
  if (orgs !== null) mongoFilter.organizationId = orgs.length === 1 ? orgs[0] : { $in: [...orgs] };
  if (needle !== undefined) mongoFilter.nameLower = { $regex: escapeRegExp(needle) };
  if (filter.active !== undefined) mongoFilter.active = filter.active;
  if (filter.grant !== undefined) mongoFilter.grants = filter.grant;
  if (filter.ownerUserId !== undefined) mongoFilter.ownerUserId = filter.ownerUserId;
  if (filter.frontend !== undefined) mongoFilter.frontend = filter.frontend;
  if (filter.matchNothing === true) mongoFilter._id = { $in: [] };

  const skip = (query.page - 1) * query.perPage;
  return {
    query,
    filter: {
      matchNothing: filter.matchNothing === true,
      includeDeleted: filter.includeDeleted,
      organizationIds: orgs,
      needle,
      active: filter.active,
      grant: filter.grant,
      ownerUserId: filter.ownerUserId,
      ...(filter.frontend !== undefined && { frontend: filter.frontend }),
    },
    matches,
    compare,
    sortKey,
    descending: sign < 0,
    skip,
    limit: query.perPage,
    mongo: {
      filter: mongoFilter,
      sort: [
        [GRID_SORT_COLUMNS[sort.field], sign],
        ['_id', sign],
      ],
      skip,
      limit: query.perPage,
    },
  };
}

/** parse + compile in one step: what the HTTP layer calls. */
export const gridQuery = (input: GridQueryInput, scope?: GridScope): CompiledGridQuery =>
  compileGridQuery(parseGridQuery(input, scope));
