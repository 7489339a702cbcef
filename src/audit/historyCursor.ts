import { z } from 'zod';
import { DomainError } from '../domain/shared/domainError.js';
import type { HistoryOrder } from './streamCursor.js';

/**
 * The position of a history reader in both streams it merges: for each, the revision of the
 * next event to consider (null: nothing left). Opaque to clients (base64url JSON), checked
 * on the way back in: a tampered cursor is a validation error (400), never a crash or a read of another stream.
 */
export interface HistoryPosition {
  order: HistoryOrder;
  application: number | null;
  tokens: number | null;
}

const revision = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable();
const wire = z.strictObject({ v: z.literal(1), o: z.enum(['asc', 'desc']), a: revision, t: revision });

export const encodeHistoryCursor = (position: HistoryPosition): string =>
  Buffer.from(JSON.stringify({ v: 1, o: position.order, a: position.application, t: position.tokens })).toString('base64url');

const badCursor = (message: string): DomainError =>
  new DomainError('VALIDATION', 'Invalid cursor: use the next link of a previous page.', [{ field: 'cursor', message }]);

export function decodeHistoryCursor(raw: string, order: HistoryOrder): HistoryPosition {
  if (raw.length > 200 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw badCursor('is not a cursor');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('is not a cursor');
  }
  const result = wire.safeParse(parsed);
  if (!result.success) throw badCursor('is not a cursor');
  if (result.data.o !== order) throw badCursor(`was made for order=${result.data.o}`);
  return { order, application: result.data.a, tokens: result.data.t };
}
