import type { Context } from 'koa';
import { canActThroughApplication, canManageApplication, canViewApplication } from '../authorization/applicationPolicy.js';
import { readsAsAdministrator } from '../authorization/readOnlyAccess.js';
import { loadApplication, loadUser } from '../commands/lookups.js';
import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import type { EventStore } from '../eventStore/eventStore.js';
import type { Principal } from '../authorization/principal.js';
import { HttpProblem } from '../http/problem.js';
import type { AdminDeps } from './adminDeps.js';
import { principalOf } from './authenticate.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

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
  const id = ctx.params.id as string;
  const notFound = new HttpProblem(404, 'No such OAuth application.');
  if (!ID.test(id)) throw notFound;
  const principal = principalOf(ctx);
  const current = await loadApplication(deps.store, id);
  if (current.state.status === 'Empty') throw notFound;
  const allowed = options.manage ? canManageApplication : canViewApplication;
  if (!allowed(principal, current.state)) throw notFound;
  if (current.state.status === 'Deleted' && !(options.allowDeleted && readsAsAdministrator(principal))) throw notFound;
  if (options.asOf === undefined) return { state: current.state, revision: current.revision };
  const then = await applicationThen(deps.store, principal, id, options.asOf);
  if (then.kind === 'notYet') throw new HttpProblem(404, 'The application did not exist at that time.');
  if (then.kind === 'outside') throw new HttpProblem(404, 'The application was outside your authority at that time.');
  return then;
}

/** An application as of a moment: its state then, or why there is none to show. */
export type ApplicationThen =
  | { kind: 'state'; state: ExistingApplication; revision: number }
  | { kind: 'notYet' }
  | { kind: 'outside' };

/**
 * The application folded up to `asOf` (one fold of its own stream), for a caller who may see
 * it now. It is shown only if the caller could see it as it was then (its organization and
 * owner of then), as the grid as of a moment filters its rows: an application moved in from
 * an organization outside the caller's authority shows nothing of its time there. The admin
 * API's `?asOf=` and the console's History "as of" view both answer through this.
 */
export async function applicationThen(store: EventStore, principal: Principal, id: string, asOf: Date): Promise<ApplicationThen> {
  const past = await loadApplication(store, id, asOf);
  if (past.state.status === 'Empty') return { kind: 'notYet' };
  if (!canViewApplication(principal, past.state)) return { kind: 'outside' };
  return { kind: 'state', state: past.state, revision: past.revision };
}

/**
 * For edits and secret rotation, which act as the application's owner: the caller must be
 * able to act as them (authority over every organization of the owner). 403: the caller
 * already sees the application.
 */
export async function requireOwnerAuthority(ctx: Context, deps: Pick<AdminDeps, 'store'>, app: ExistingApplication): Promise<void> {
  if (app.ownerUserId === null) return;
  const { state } = await loadUser(deps.store, app.ownerUserId);
  const owner = state.status === 'Empty' ? undefined : { id: state.userId, organizationIds: state.organizationIds };
  if (!canActThroughApplication(principalOf(ctx), owner)) {
    throw new HttpProblem(403, "Changing this application or its secret acts as its owner, a user outside your authority.");
  }
}

export const parseAsOf = (raw: unknown): Date | undefined => parseTimeParameter('asOf', raw);

/** A query-string time (`asOf`, `from`, `to`): ISO-8601 date or date-time, a real calendar time; without a zone, UTC. */
export function parseTimeParameter(field: string, raw: unknown): Date | undefined {
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? undefined : String(raw);
  // ISO-8601 date or date-time only: Date.parse accepts too much.
  if (!text || !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    throw new HttpProblem(400, `${field} must be an ISO-8601 time.`, [
      { field, message: 'must be an ISO-8601 time, e.g. 2026-01-31T12:00:00Z' },
    ]);
  }
  // A date-time without a zone is UTC, as a date alone is, whatever the server's own zone.
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const time = new Date(text.length > 10 && !hasZone ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
  if (Number.isNaN(time.getTime()) || !isRealCalendarTime(text)) {
    throw new HttpProblem(400, `${field} must be an ISO-8601 time.`, [{ field, message: 'not a valid time' }]);
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
