import { DomainError, type FieldError } from '../domain/shared/domainError.js';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, parseInteger } from '../../projections/paging.js';
import { parseTimeParameter } from '../admin/applicationAccess.js';
import { EXPORT_FORMATS, type ExportFormat } from './historyExport.js';
import type { HistoryQuery } from './historyQuery.js';

const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const MAX_TYPES = 20;

export interface HistoryParameters {
  query: Omit<HistoryQuery, 'applicationId'>;
  cursor?: string;
  format?: ExportFormat;
}

const one = (field: string, raw: unknown, errors: FieldError[]): string | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (Array.isArray(raw) || typeof raw !== 'string') {
    errors.push({ field, message: `${field} must be given once` });
    return undefined;
  }
  return raw;
};

/**
 * `from`, `to` (ISO times; from inclusive, to exclusive), `type` (repeatable or comma-separated),
 * `include=tokens`, `order=asc|desc` (default desc: newest first), `perPage`, `cursor`, `format`.
 * One parser for the admin API and the audit CLI; every bad field is named at once.
 */
export function parseHistoryParameters(input: Record<string, unknown>): HistoryParameters {
  const errors: FieldError[] = [];
  if (input.page !== undefined) errors.push({ field: 'page', message: 'history pages by cursor: follow the next link' });
  const time = (field: 'from' | 'to'): Date | undefined => {
    try {
      return parseTimeParameter(field, input[field]);
    } catch {
      errors.push({ field, message: 'must be an ISO-8601 time, e.g. 2026-01-31T12:00:00Z' });
      return undefined;
    }
  };
  const from = time('from');
  const to = time('to');
  if (from && to && from.getTime() >= to.getTime()) errors.push({ field: 'to', message: 'must be after from' });
  const rawTypes = input.type === undefined ? [] : Array.isArray(input.type) ? input.type : [input.type];
  const types = rawTypes.flatMap((t) => String(t).split(',')).map((t) => t.trim()).filter((t) => t !== '');
  if (types.length > MAX_TYPES) errors.push({ field: 'type', message: `at most ${MAX_TYPES} event types` });
  else if (!types.every((t) => EVENT_TYPE.test(t))) errors.push({ field: 'type', message: 'must be event type names, e.g. ApplicationUpdated' });
  const include = one('include', input.include, errors);
  if (include !== undefined && include !== 'tokens') errors.push({ field: 'include', message: 'must be tokens' });
  const order = one('order', input.order, errors) ?? 'desc';
  if (order !== 'asc' && order !== 'desc') errors.push({ field: 'order', message: 'must be asc or desc' });
  const perPage = parseInteger('perPage', input.perPage, { min: 1, max: MAX_PER_PAGE, fallback: DEFAULT_PER_PAGE }, errors);
  const cursor = one('cursor', input.cursor, errors);
  const format = one('format', input.format, errors);
  if (format !== undefined && !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    errors.push({ field: 'format', message: `must be one of ${EXPORT_FORMATS.join(', ')}` });
  }
  if (format !== undefined && cursor !== undefined) errors.push({ field: 'cursor', message: 'an export has no pages' });
  if (errors.length > 0) throw new DomainError('VALIDATION', 'Invalid history query', errors);
  return {
    query: {
      includeTokens: include === 'tokens',
      ...(types.length > 0 && { types }),
      ...(from && { from }),
      ...(to && { to }),
      order: order as 'asc' | 'desc',
      perPage: format === undefined ? perPage : MAX_PER_PAGE,
    },
    ...(cursor !== undefined && { cursor }),
    ...(format !== undefined && { format: format as ExportFormat }),
  };
}
