/**
 * A sorted index over row numbers (ords), ordered by (key, id). Writes are recorded as pending
 * moves and applied lazily at the next read: a few moves by binary search and splice (cheap
 * while live), many moves (a rebuild) by one full sort — so neither a rebuild nor a query
 * after a single write pays more than it must. `order()` hands out the ords in ascending
 * order as an Int32Array, the shape the grid scan walks fastest.
 *
 * An index only moves an entry when its own key changed, so e.g. a lastUsedAt update touches
 * only the lastUsedAt index.
 */
import { compareIds, compareSortValues, type SortValue } from '../paging.js';

interface IndexEntry {
  readonly key: SortValue;
  readonly id: string;
  readonly ord: number;
}

const compareEntries = (a: IndexEntry, b: IndexEntry): number =>
  compareSortValues(a.key, b.key) || compareIds(a.id, b.id);

export class SortedIndex {
  private entries: IndexEntry[] = [];
  private readonly byOrd: Array<IndexEntry | undefined> = [];
  private pending: Array<{ from: IndexEntry | undefined; to: IndexEntry }> = [];
  /** Too many moves to replay one by one (a rebuild): re-sort everything at the next read. */
  private resortAll = false;
  /** entries[i].ord, kept in step with `entries` (capacity ≥ entries.length). */
  private ords = new Int32Array(0);

  /** Call after the row numbered `ord` was created or changed. */
  update(ord: number, id: string, key: SortValue): void {
    const current = this.byOrd[ord];
    if (current !== undefined && compareSortValues(current.key, key) === 0) return;
    const next: IndexEntry = { key, id, ord };
    this.byOrd[ord] = next;
    if (this.resortAll) return;
    this.pending.push({ from: current, to: next });
    if (this.pending.length > 64 && this.pending.length * 16 > this.entries.length) {
      this.resortAll = true;
      this.pending = [];
    }
  }

  clear(): void {
    this.entries = [];
    this.byOrd.length = 0;
    this.pending = [];
    this.resortAll = false;
    this.ords = new Int32Array(0);
  }

  /** Row numbers in ascending (key, id) order. */
  order(): Int32Array {
    if (this.resortAll) this.resort();
    else if (this.pending.length > 0) this.applyPending();
    return this.ords.subarray(0, this.entries.length);
  }

  private applyPending(): void {
    const moves = this.pending;
    this.pending = [];
    for (const { from, to } of moves) {
      if (from !== undefined) {
        const at = this.lowerBound(from);
        if (this.entries[at] === from) {
          this.entries.splice(at, 1);
          this.ords.copyWithin(at, at + 1, this.entries.length + 1);
        }
      }
      const at = this.lowerBound(to);
      this.entries.splice(at, 0, to);
      if (this.ords.length < this.entries.length) {
        const grown = new Int32Array(this.entries.length * 2);
        grown.set(this.ords);
        this.ords = grown;
      }
      this.ords.copyWithin(at + 1, at, this.entries.length - 1);
      this.ords[at] = to.ord;
    }
  }

  private resort(): void {
    this.resortAll = false;
    this.pending = [];
    this.entries = this.byOrd.filter((e): e is IndexEntry => e !== undefined).sort(compareEntries);
    this.ords = new Int32Array(this.entries.length + 1024);
    for (let i = 0; i < this.entries.length; i += 1) this.ords[i] = this.entries[i]!.ord;
  }

  private lowerBound(entry: IndexEntry): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEntries(this.entries[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
