/**
 * The grid's filterable fields as columns indexed by row number (ord): flags, interned
 * organization and owner numbers, lower-cased names. A grid query scans these typed arrays in
 * the order of a sorted index — a few array reads per row instead of walking row objects,
 * which keeps a full 100k-row filtered scan at about a millisecond.
 */
import { GRANTS, type Grant } from '../../src/domain/application/applicationEvents.js';
import type { ResolvedGridFilter } from '../gridQuery.js';
import type { ApplicationGridRow } from '../readModel.js';

const ACTIVE = 1;
const DELETED = 2;
const grantBit = (grant: Grant): number => 4 << GRANTS.indexOf(grant);
const FRONTEND = 4 << GRANTS.length;

/** Row filter over columns: `(flags[ord] & mask) === want`, plus org / owner / name checks. */
export interface ColumnFilter {
  readonly none: boolean;
  readonly mask: number;
  readonly want: number;
  /** Allowed organization numbers as a lookup table, or null for any. */
  readonly organizations: Uint8Array | null;
  /** Required owner number, -1 for any, -2 for an unknown owner (matches nothing). */
  readonly owner: number;
  readonly needle: string | undefined;
}

export class GridColumns {
  flags = new Uint8Array(1024);
  organization = new Int32Array(1024);
  owner = new Int32Array(1024);
  readonly nameLower: string[] = [];
  private readonly organizationNumbers = new Map<string, number>();
  private readonly ownerNumbers = new Map<string, number>();

  set(ord: number, row: ApplicationGridRow): void {
    if (ord >= this.flags.length) this.grow(ord + 1);
    let flags = (row.active ? ACTIVE : 0) | (row.deleted ? DELETED : 0) | (row.frontend ? FRONTEND : 0);
    for (const grant of row.grants) flags |= grantBit(grant);
    this.flags[ord] = flags;
    this.organization[ord] = this.intern(this.organizationNumbers, row.organizationId);
    this.owner[ord] = row.ownerUserId === null ? -1 : this.intern(this.ownerNumbers, row.ownerUserId);
    this.nameLower[ord] = row.nameLower;
  }

  compile(filter: ResolvedGridFilter): ColumnFilter {
    let mask = 0;
    let want = 0;
    if (!filter.includeDeleted) mask |= DELETED;
    if (filter.active !== undefined) {
      mask |= ACTIVE;
      want |= filter.active ? ACTIVE : 0;
    }
    if (filter.grant !== undefined) {
      mask |= grantBit(filter.grant);
      want |= grantBit(filter.grant);
    }
    if (filter.frontend !== undefined) {
      mask |= FRONTEND;
      want |= filter.frontend ? FRONTEND : 0;
    }
    let organizations: Uint8Array | null = null;
    if (filter.organizationIds !== null) {
      organizations = new Uint8Array(this.organizationNumbers.size + 1);
      for (const id of filter.organizationIds) {
        const n = this.organizationNumbers.get(id);
        if (n !== undefined) organizations[n] = 1;
      }
    }
    const owner = filter.ownerUserId === undefined ? -1 : (this.ownerNumbers.get(filter.ownerUserId) ?? -2);
    return { none: filter.matchNothing || owner === -2, mask, want, organizations, owner, needle: filter.needle };
  }

  matches(ord: number, f: ColumnFilter): boolean {
    return (
      (this.flags[ord]! & f.mask) === f.want &&
      (f.organizations === null || f.organizations[this.organization[ord]!] === 1) &&
      (f.owner === -1 || this.owner[ord] === f.owner) &&
      (f.needle === undefined || this.nameLower[ord]!.includes(f.needle))
    );
  }

  clear(): void {
    this.flags.fill(0);
    this.nameLower.length = 0;
    this.organizationNumbers.clear();
    this.ownerNumbers.clear();
  }

  private intern(numbers: Map<string, number>, key: string): number {
    let n = numbers.get(key);
    if (n === undefined) {
      n = numbers.size;
      numbers.set(key, n);
    }
    return n;
  }

  private grow(min: number): void {
    const size = Math.max(min, this.flags.length * 2);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    const organization = new Int32Array(size);
    organization.set(this.organization);
    const owner = new Int32Array(size);
    owner.set(this.owner);
    this.flags = flags;
    this.organization = organization;
    this.owner = owner;
  }
}
