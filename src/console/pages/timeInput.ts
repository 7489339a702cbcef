import { parseTimeParameter } from '../../admin/applicationAccess.js';

/** What a datetime-local input sends: a date and time without a zone. */
const LOCAL_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/**
 * A time typed in the console: a datetime-local value is read as UTC (the form says so);
 * anything else (a full ISO time with its zone, a date) is the admin API's parameter as is.
 * One validation, the admin API's (parseTimeParameter): a bad value is its 400 problem.
 */
export const utcInput = (raw: unknown): unknown =>
  typeof raw === 'string' && LOCAL_INPUT.test(raw) ? `${raw}Z` : raw === '' ? undefined : raw;

export const parseConsoleTime = (field: string, raw: unknown): Date | undefined => parseTimeParameter(field, utcInput(raw));

/** The value a datetime-local input shows for a time (UTC, seconds). */
export const inputValue = (time: Date | undefined): string => (time === undefined ? '' : time.toISOString().slice(0, 19));
