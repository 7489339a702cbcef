import { DomainError, type FieldError } from './domainError.js';

/**
 * Collects every field error of one command so a client sees all of them at once
 * (one VALIDATION error with per-field `errors`), instead of fixing them one by one.
 */
export interface Validator {
  check(condition: boolean, field: string, message: string): boolean;
  add(field: string, message: string): void;
  readonly errors: readonly FieldError[];
  /** Throws DomainError('VALIDATION') when any check failed. */
  throwIfInvalid(message?: string): void;
}

export const createValidator = (): Validator => {
  const errors: FieldError[] = [];
  return {
    errors,
    check(condition, field, message) {
      if (!condition) errors.push({ field, message });
      return condition;
    },
    add(field, message) {
      errors.push({ field, message });
    },
    throwIfInvalid(message = 'Invalid input') {
      if (errors.length > 0) {
        throw new DomainError('VALIDATION', `${message}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, [
          ...errors,
        ]);
      }
    },
  };
};

export const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0;

const CONTROL_CHARACTER = /\p{Cc}/u;

/** A trimmed name of 1..max characters without control characters, or null when invalid. */
export const normalizeName = (value: unknown, max = 255): string | null => {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (CONTROL_CHARACTER.test(trimmed)) return null;
  return trimmed.length >= 1 && trimmed.length <= max ? trimmed : null;
};

/** Order-insensitive equality of two string lists (after removing duplicates). */
export const sameMembers = (a: readonly string[], b: readonly string[]): boolean => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
};

export const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
