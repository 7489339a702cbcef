/**
 * Indexes that serve every grid filter + sort. Grid queries always carry `deleted: false` and
 * usually an organization allow-list (an `$in`, which MongoDB serves with a SORT_MERGE over
 * the equality prefix) or an owner; each of those prefixes gets one index per sort column,
 * ending with `_id` for the tie-break. `active`, `grant` and `frontend` (the side) filter within the index scan; the
 * name filter is an unanchored substring (`$regex` on nameLower), checked on index keys of
 * whichever index serves the sort.
 */
import type { Db, IndexDescription } from 'mongodb';
import { GRID_SORT_COLUMNS, GRID_SORT_FIELDS } from '../gridQuery.js';

export const COLLECTIONS = {
  applications: 'applications',
  users: 'users',
  organizations: 'organizations',
  checkpoints: 'checkpoints',
} as const;

export function applicationIndexes(): IndexDescription[] {
  const indexes: IndexDescription[] = [];
  for (const field of GRID_SORT_FIELDS) {
    const column = GRID_SORT_COLUMNS[field];
    indexes.push(
      { name: `org_deleted_${column}`, key: { organizationId: 1, deleted: 1, [column]: 1, _id: 1 } },
      { name: `owner_deleted_${column}`, key: { ownerUserId: 1, deleted: 1, [column]: 1, _id: 1 } },
      { name: `deleted_${column}`, key: { deleted: 1, [column]: 1, _id: 1 } },
    );
  }
  return indexes;
}

export async function ensureIndexes(db: Db): Promise<void> {
  await db.collection(COLLECTIONS.applications).createIndexes(applicationIndexes());
  await db.collection(COLLECTIONS.users).createIndexes([
    { name: 'username', key: { username: 1, _id: 1 } },
    { name: 'organizations_username', key: { organizationIds: 1, username: 1, _id: 1 } },
  ]);
  await db.collection(COLLECTIONS.organizations).createIndexes([{ name: 'name', key: { name: 1, _id: 1 } }]);
}
