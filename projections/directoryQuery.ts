/**
 * Users and organizations directory queries, written once like the grid query: an
 * organization allow-list plus paging, compiled to a predicate + comparator and to a MongoDB
 * filter + sort. Users order by username, organizations by name, then id.
 */
import { DomainError } from '../src/domain/shared/domainError.js';
import type { OrganizationRow, UserRow } from './readModel.js';
import { compareIds, compareSortValues, parsePaging, type ParseErrors, type Paging } from './paging.js';

export interface CompiledDirectoryQuery<Row = unknown> {
  readonly page: number;
  readonly perPage: number;
  readonly skip: number;
  readonly limit: number;
  readonly matches: (row: Row) => boolean;
  readonly compare: (a: Row, b: Row) => number;
  readonly mongo: { filter: Record<string, unknown>; sort: Array<[string, 1 | -1]>; skip: number; limit: number };
}

export interface DirectoryQueryInput {
  page?: unknown;
  perPage?: unknown;
}

export interface DirectoryScope {
  /** Allow-list from authorization: null = every organization. */
  organizationIds: readonly string[] | null;
  /** Users of one kind only (Customers › Customer Users: 'customer'). */
  kind?: UserRow['kind'];
  /**
   * Users only: list a user only when *every* one of their organizations is in the allow-list
   * (the caller's authority over users, src/authorization/userPolicy.ts), not when any is.
   */
  everyOrganization?: boolean;
}

export function parseDirectoryPaging(input: DirectoryQueryInput): Paging {
  const errors: ParseErrors = [];
  const paging = parsePaging(input, errors);
  if (errors.length > 0) throw new DomainError('VALIDATION', 'Invalid paging', errors);
  return paging;
}

function compile<Row extends { id: string }>(
  paging: Paging,
  matches: (row: Row) => boolean,
  sortField: keyof Row & string,
  mongoFilter: Record<string, unknown>,
): CompiledDirectoryQuery<Row> {
  const skip = (paging.page - 1) * paging.perPage;
  return {
    ...paging,
    skip,
    limit: paging.perPage,
    matches,
    compare: (a, b) =>
      compareSortValues(a[sortField] as string, b[sortField] as string) || compareIds(a.id, b.id),
    mongo: { filter: mongoFilter, sort: [[sortField, 1], ['_id', 1]], skip, limit: paging.perPage },
  };
}

/** Users belonging to at least one organization of the allow-list (with everyOrganization: only to those). */
export function compileUserQuery(paging: Paging, scope: DirectoryScope): CompiledDirectoryQuery<UserRow> {
  const allowed = scope.organizationIds === null ? null : new Set(scope.organizationIds);
  const { kind } = scope;
  const ofKind = (row: UserRow) => kind === undefined || row.kind === kind;
  const kindFilter = kind === undefined ? {} : { kind };
  if (allowed !== null && scope.everyOrganization) {
    return compile<UserRow>(
      paging,
      (row) => row.organizationIds.length > 0 && row.organizationIds.every((id) => allowed.has(id)) && ofKind(row),
      'username',
      { organizationIds: { $ne: [], $not: { $elemMatch: { $nin: [...allowed] } } }, ...kindFilter },
    );
  }
  return compile<UserRow>(
    paging,
    (row) => (allowed === null || row.organizationIds.some((id) => allowed.has(id))) && ofKind(row),
    'username',
    { ...(allowed === null ? {} : { organizationIds: { $in: [...allowed] } }), ...kindFilter },
  );
}

/** Organizations of the allow-list. */
export function compileOrganizationQuery(
  paging: Paging,
  scope: DirectoryScope,
): CompiledDirectoryQuery<OrganizationRow> {
  const allowed = scope.organizationIds === null ? null : new Set(scope.organizationIds);
  return compile<OrganizationRow>(
    paging,
    (row) => allowed === null || allowed.has(row.id),
    'name',
    allowed === null ? {} : { _id: { $in: [...allowed] } },
  );
}

export const userQuery = (input: DirectoryQueryInput, scope: DirectoryScope) =>
  compileUserQuery(parseDirectoryPaging(input), scope);
export const organizationQuery = (input: DirectoryQueryInput, scope: DirectoryScope) =>
  compileOrganizationQuery(parseDirectoryPaging(input), scope);
