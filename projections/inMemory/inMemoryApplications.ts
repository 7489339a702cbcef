/**
 * In-memory applications grid. Rows are numbered (ord) in arrival order; filterable fields
 * live in columns (gridColumns.ts), and each grid sort field has a sorted index. A query walks
 * the index of its sort field (backwards for descending), filters on the columns, counts the
 * total and keeps the requested page — no per-query sort. Reverse lookups by organization and
 * owner serve the denormalized columns.
 */
import { GRID_SORT_FIELDS, gridSortKeyOf, type CompiledGridQuery, type GridSortField } from '../gridQuery.js';
import type {
  ApplicationGridRow,
  ApplicationReadModel,
  ApplicationRowUpsert,
  LastUsedUpdate,
  Page,
} from '../readModel.js';
import { GridColumns } from './gridColumns.js';
import { SortedIndex } from './sortedIndex.js';

const copyRow = (row: ApplicationGridRow): ApplicationGridRow => ({
  ...row,
  grants: [...row.grants],
  apis: [...row.apis],
  scopes: [...row.scopes],
});

const addTo = (map: Map<string, Set<number>>, key: string, ord: number): void => {
  const set = map.get(key);
  if (set) set.add(ord);
  else map.set(key, new Set([ord]));
};

export class InMemoryApplications implements ApplicationReadModel {
  private readonly rows: ApplicationGridRow[] = [];
  private readonly ords = new Map<string, number>();
  private readonly columns = new GridColumns();
  private readonly byOrganization = new Map<string, Set<number>>();
  private readonly byOwner = new Map<string, Set<number>>();
  private readonly indexes = new Map<GridSortField, { index: SortedIndex; keyOf: ReturnType<typeof gridSortKeyOf> }>(
    GRID_SORT_FIELDS.map((field) => [field, { index: new SortedIndex(), keyOf: gridSortKeyOf(field) }]),
  );

  async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<ApplicationGridRow | null> {
    const ord = this.ords.get(id);
    const row = ord === undefined ? undefined : this.rows[ord];
    if (!row || (row.deleted && options.includeDeleted !== true)) return null;
    return copyRow(row);
  }

  async upsert(upsert: ApplicationRowUpsert): Promise<boolean> {
    let ord = this.ords.get(upsert.id);
    const current = ord === undefined ? undefined : this.rows[ord];
    if (current && current.revision >= upsert.revision) return false;
    const row = copyRow({
      ...upsert,
      lastUsedAt: current?.lastUsedAt ?? null,
      currentSecretLastUsedAt: current?.currentSecretLastUsedAt ?? null,
      previousSecretLastUsedAt: current?.previousSecretLastUsedAt ?? null,
    });
    if (ord === undefined) {
      ord = this.rows.length;
      this.ords.set(row.id, ord);
    } else if (current && current.organizationId !== row.organizationId) {
      this.byOrganization.get(current.organizationId)?.delete(ord);
    }
    this.store(ord, row);
    addTo(this.byOrganization, row.organizationId, ord);
    if (row.ownerUserId !== null) addTo(this.byOwner, row.ownerUserId, ord);
    return true;
  }

  async query(query: CompiledGridQuery): Promise<Page<ApplicationGridRow>> {
    const order = this.indexes.get(query.query.sort.field)!.index.order();
    const filter = this.columns.compile(query.filter);
    const { skip, limit } = query;
    const end = skip + limit;
    const items: ApplicationGridRow[] = [];
    let total = 0;
    const n = filter.none ? 0 : order.length;
    for (let i = 0; i < n; i += 1) {
      const ord = order[query.descending ? n - 1 - i : i]!;
      if (!this.columns.matches(ord, filter)) continue;
      if (total >= skip && total < end) items.push(copyRow(this.rows[ord]!));
      total += 1;
    }
    return { items, total, page: query.query.page, perPage: query.query.perPage };
  }

  async touchLastUsed(updates: readonly LastUsedUpdate[]): Promise<void> {
    const later = (stored: string | null | undefined, given: string | undefined): string | null =>
      given !== undefined && (stored == null || stored < given) ? given : (stored ?? null);
    for (const { applicationId, at, currentSecretAt, previousSecretAt } of updates) {
      const ord = this.ords.get(applicationId);
      const row = ord === undefined ? undefined : this.rows[ord];
      if (ord === undefined || !row) continue;
      const next = {
        lastUsedAt: later(row.lastUsedAt, at),
        currentSecretLastUsedAt: later(row.currentSecretLastUsedAt, currentSecretAt),
        previousSecretLastUsedAt: later(row.previousSecretLastUsedAt, previousSecretAt),
      };
      if (next.lastUsedAt === row.lastUsedAt && next.currentSecretLastUsedAt === (row.currentSecretLastUsedAt ?? null) && next.previousSecretLastUsedAt === (row.previousSecretLastUsedAt ?? null)) continue;
      // Only the lastUsedAt index moves (sortedIndex.ts): the per-secret columns are not sorted on.
      this.store(ord, { ...row, ...next });
    }
  }

  async setOrganizationName(organizationId: string, name: string): Promise<void> {
    for (const ord of this.byOrganization.get(organizationId) ?? []) {
      const row = this.rows[ord]!;
      if (row.organizationId === organizationId) this.rows[ord] = { ...row, organizationName: name };
    }
  }

  async setOwnerUsername(userId: string, username: string): Promise<void> {
    for (const ord of this.byOwner.get(userId) ?? []) {
      const row = this.rows[ord]!;
      if (row.ownerUserId === userId) this.rows[ord] = { ...row, ownerUsername: username };
    }
  }

  clear(): void {
    this.rows.length = 0;
    this.ords.clear();
    this.columns.clear();
    this.byOrganization.clear();
    this.byOwner.clear();
    for (const { index } of this.indexes.values()) index.clear();
  }

  private store(ord: number, row: ApplicationGridRow): void {
    this.rows[ord] = row;
    this.columns.set(ord, row);
    for (const { index, keyOf } of this.indexes.values()) index.update(ord, row.id, keyOf(row));
  }
}
