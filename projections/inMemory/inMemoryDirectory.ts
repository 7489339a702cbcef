/**
 * In-memory users / organizations directory. Directories are small next to the grid (people
 * and organizations, not applications), so a list filters and sorts on demand.
 */
import type { CompiledDirectoryQuery } from '../directoryQuery.js';
import type { DirectoryReadModel, Page } from '../readModel.js';

export class InMemoryDirectory<Row extends { id: string; revision: number }> implements DirectoryReadModel<Row> {
  private readonly rows = new Map<string, Row>();

  /** `copy` detaches rows from callers (arrays included); cheaper than structuredClone. */
  constructor(private readonly copy: (row: Row) => Row) {}

  async get(id: string): Promise<Row | null> {
    const row = this.rows.get(id);
    return row ? this.copy(row) : null;
  }

  async upsert(row: Row): Promise<boolean> {
    const current = this.rows.get(row.id);
    if (current && current.revision >= row.revision) return false;
    this.rows.set(row.id, this.copy(row));
    return true;
  }

  async list(query: CompiledDirectoryQuery<Row>): Promise<Page<Row>> {
    const matching = [...this.rows.values()].filter(query.matches).sort(query.compare);
    return {
      items: matching.slice(query.skip, query.skip + query.limit).map((row) => this.copy(row)),
      total: matching.length,
      page: query.page,
      perPage: query.perPage,
    };
  }

  clear(): void {
    this.rows.clear();
  }
}
