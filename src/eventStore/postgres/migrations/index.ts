import type { Migration } from './migration.js';
import { m0001EventTables } from './m0001EventTables.js';
import { m0002AppendFunction } from './m0002AppendFunction.js';
import { m0003ConsoleSessions } from './m0003ConsoleSessions.js';

/** Every migration, in version order. A new schema change is a new file added here. */
export const migrations: readonly Migration[] = [m0001EventTables, m0002AppendFunction, m0003ConsoleSessions];

export type { Migration } from './migration.js';
