import type { Migration } from './migration.js';
import { m0001EventTables } from './m0001EventTables.js';
import { m0002AppendFunction } from './m0002AppendFunction.js';

/** Every migration, in version order. A new schema change is a new file added here. */
export const migrations: readonly Migration[] = [m0001EventTables, m0002AppendFunction];

export type { Migration } from './migration.js';
