import { DomainError } from '../shared/domainError.js';
import { sameMembers } from '../shared/validation.js';
import { IMMUTABLE_APPLICATION_FIELDS, type ApplicationEdit } from './applicationCommands.js';
import type { ApplicationChanges, EditableApplicationFields, ExistingApplication } from './applicationEvents.js';

const sameGrants = (value: unknown, current: readonly string[]): boolean => {
  if (!Array.isArray(value) || !value.every((g) => typeof g === 'string')) return false;
  // `password` implies `refresh_token` (see normalizeGrants), so ['password'] equals what is stored.
  const withImplied = value.includes('password') ? [...value, 'refresh_token'] : value;
  return sameMembers(withImplied, current);
};

/**
 * Grants, owner, frontend flag and client id are fixed after creation. Repeating their
 * current value is accepted (a client may send the whole resource back); a different value
 * is IMMUTABLE_FIELD naming the field.
 */
export const rejectImmutableChanges = (edit: ApplicationEdit, app: ExistingApplication): void => {
  for (const field of IMMUTABLE_APPLICATION_FIELDS) {
    if (!(field in edit) || edit[field] === undefined) continue;
    const value = edit[field];
    const unchanged = field === 'grants' ? sameGrants(value, app.grants) : value === app[field];
    if (!unchanged) {
      throw new DomainError('IMMUTABLE_FIELD', `${field} cannot be changed after creation`, [
        { field, message: 'cannot be changed after creation' },
      ]);
    }
  }
};

const equal = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b) ? sameMembers(a as string[], b as string[]) : a === b;

/** Exactly the fields whose value differs, with old and new values (lists compare as sets). */
export const diffApplication = (
  app: ExistingApplication,
  fields: Partial<EditableApplicationFields>,
): ApplicationChanges => {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(fields) as (keyof EditableApplicationFields)[]) {
    const to = fields[key];
    if (to === undefined || equal(app[key], to)) continue;
    changes[key] = { from: app[key], to };
  }
  return changes as ApplicationChanges;
};
