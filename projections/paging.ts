/**
 * Paging and the small value parsers shared by the grid and directory queries. Parsers push
 * field errors instead of throwing, so one response names every bad field at once.
 */
import type { FieldError } from '../src/domain/shared/domainError.js';

export const DEFAULT_PER_PAGE = 25;
export const MAX_PER_PAGE = 100;
export const MAX_PAGE = 1_000_000;

export interface Paging {
  /** 1-based. */
  page: number;
  perPage: number;
}

export type ParseErrors = FieldError[];

/** Query strings arrive as strings (or arrays when repeated); programmatic callers pass values. */
const single = (field: string, value: unknown, errors: ParseErrors): unknown => {
  if (Array.isArray(value)) {
    errors.push({ field, message: `${field} must be given once` });
    return undefined;
  }
  return value;
};

export function parseInteger(
  field: string,
  raw: unknown,
  bounds: { min: number; max: number; fallback: number },
  errors: ParseErrors,
): number {
  const value = single(field, raw, errors);
  if (value === undefined || value === '') return bounds.fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    errors.push({ field, message: `${field} must be an integer` });
    return bounds.fallback;
  }
  if (n < bounds.min || n > bounds.max) {
    errors.push({ field, message: `${field} must be between ${bounds.min} and ${bounds.max}` });
    return bounds.fallback;
  }
  return n;
}

export function parseBoolean(field: string, raw: unknown, errors: ParseErrors): boolean | undefined {
  const value = single(field, raw, errors);
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  errors.push({ field, message: `${field} must be true or false` });
  return undefined;
}

export function parseText(
  field: string,
  raw: unknown,
  maxLength: number,
  errors: ParseErrors,
): string | undefined {
  const value = single(field, raw, errors);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.push({ field, message: `${field} must be a string` });
    return undefined;
  }
  if (value.length > maxLength) {
    errors.push({ field, message: `${field} must be at most ${maxLength} characters` });
    return undefined;
  }
  return value;
}

export function parsePaging(input: { page?: unknown; perPage?: unknown }, errors: ParseErrors): Paging {
  return {
    page: parseInteger('page', input.page, { min: 1, max: MAX_PAGE, fallback: 1 }, errors),
    perPage: parseInteger(
      'perPage',
      input.perPage,
      { min: 1, max: MAX_PER_PAGE, fallback: DEFAULT_PER_PAGE },
      errors,
    ),
  };
}

/** Values a sort key can take; null sorts first ascending, as in MongoDB. */
export type SortValue = string | number | null;

/** A UTF-16 code unit at or above U+D800 moved so that surrogates sort after U+E000–U+FFFF. */
const codePointOrderUnit = (unit: number): number => (unit < 0xd800 ? unit : unit >= 0xe000 ? unit - 0x800 : unit + 0x2000);

/**
 * Strings in Unicode code point order, which is the order of their UTF-8 bytes: what MongoDB
 * uses without a collation. JavaScript's `<` compares UTF-16 code units, which puts astral
 * characters (emoji, surrogate pairs) before U+E000–U+FFFF; the read models must agree.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrderUnit(x) - codePointOrderUnit(y) < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareSortValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export const compareIds = (a: string, b: string): number => compareCodePoints(a, b);

/** The effective organization allow-list: null = no restriction, [] = nothing visible. */
export function effectiveOrganizationIds(
  allowList: readonly string[] | null,
  organizationId: string | undefined,
): readonly string[] | null {
  if (organizationId === undefined) return allowList;
  if (allowList === null || allowList.includes(organizationId)) return [organizationId];
  return [];
}
