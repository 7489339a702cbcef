import type { Context } from 'koa';
import { loadVisibleApplicationFor } from '../authorization/applicationTargets.js';
import { isDomainError } from '../domain/shared/domainError.js';
import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import { HttpProblem } from '../http/problem.js';
import type { AdminDeps } from './adminDeps.js';
import { principalOf } from './authenticate.js';

export interface LoadedApplication {
  state: ExistingApplication;
  revision: number;
}

/**
 * Loads an application the caller may see, folded from its stream (authoritative, not the
 * read model). Unknown, foreign and (unless asked for) deleted applications are all 404, so
 * nothing about other organizations leaks.
 */
export async function loadVisibleApplication(
  ctx: Context,
  deps: Pick<AdminDeps, 'store'>,
  options: { asOf?: Date; allowDeleted?: boolean; manage?: boolean } = {},
): Promise<LoadedApplication> {
  try {
    return await loadVisibleApplicationFor(principalOf(ctx), deps.store, ctx.params.id as string, options);
  } catch (error) {
    if (isDomainError(error) && error.code === 'NOT_FOUND') throw new HttpProblem(404, error.message);
    throw error;
  }
}

export function parseAsOf(raw: unknown): Date | undefined {
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? undefined : String(raw);
  // ISO-8601 date or date-time only: Date.parse accepts too much.
  if (!text || !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    throw new HttpProblem(400, 'asOf must be an ISO-8601 time.', [
      { field: 'asOf', message: 'must be an ISO-8601 time, e.g. 2026-01-31T12:00:00Z' },
    ]);
  }
  const time = new Date(text);
  if (Number.isNaN(time.getTime()) || !isRealCalendarTime(text)) {
    throw new HttpProblem(400, 'asOf must be an ISO-8601 time.', [{ field: 'asOf', message: 'not a valid time' }]);
  }
  return time;
}

/** Date.parse rolls 2026-02-30 over to March 2 and 24:00 to the next day; refuse both. */
function isRealCalendarTime(text: string): boolean {
  const [, y, m, d, hh = '0', mm = '0', ss = '0'] = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text) ?? [];
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && Number(hh) <= 23 && Number(mm) <= 59 && Number(ss) <= 59;
}
