import { createHash } from 'node:crypto';
import { toUniqueKeyStreamName } from '../shared/streamNames.js';

/**
 * One reservation stream per (scope, key): `unique-<scope>-<sha256(key) hex>`. Hashing
 * keeps stream names short and free of the key's characters (names may hold anything).
 */
export const toReservationStreamName = (scope: string, key: string): string =>
  toUniqueKeyStreamName(scope, createHash('sha256').update(key, 'utf8').digest('hex'));
