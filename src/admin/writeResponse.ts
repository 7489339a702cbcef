import type { Context } from 'koa';
import type { RecordedEvent } from '../eventStore/eventStore.js';
import { HttpProblem } from '../http/problem.js';
import type { AdminDeps } from './adminDeps.js';

/** `If-Match: W/"3"` (or `"3"`) → 3; absent or `*` → undefined; anything else → 400. */
export function expectedRevisionFrom(ctx: Context): number | undefined {
  const header = ctx.get('if-match').trim();
  if (header === '' || header === '*') return undefined;
  const match = /^(?:W\/)?"(-?\d{1,15})"$/.exec(header);
  if (!match) throw new HttpProblem(400, 'If-Match must be an ETag of this API, e.g. W/"3".');
  return Number(match[1]);
}

export const etagOf = (revision: number): string => `W/"${revision}"`;

/**
 * After a write: make it visible to the token path and (bounded) to the read model, then
 * set ETag and the event position. When the bounded wait runs out the response still goes
 * out (the write is durable) and says so in `X-Read-Model-Stale`.
 */
export async function completeWrite(
  ctx: Context,
  deps: Pick<AdminDeps, 'afterWrite' | 'awaitReadModel'>,
  result: { events: RecordedEvent[]; nextExpectedRevision: number; position: number },
): Promise<void> {
  if (result.events.length > 0) await deps.afterWrite(result.events);
  const visible = await deps.awaitReadModel(result.position);
  if (!visible) ctx.set('X-Read-Model-Stale', 'true');
  ctx.set('ETag', etagOf(result.nextExpectedRevision));
  ctx.set('X-Event-Position', String(result.position));
}

/** Reads honour `X-Min-Position`: wait until the read model has it, or 503 catching up. */
export async function honourMinPosition(
  ctx: Context,
  deps: Pick<AdminDeps, 'awaitReadModel' | 'store'>,
): Promise<void> {
  const header = ctx.get('x-min-position').trim();
  if (header === '') return;
  if (!/^\d{1,16}$/.test(header)) throw new HttpProblem(400, 'X-Min-Position must be an event position.');
  // A position no write has reached yet can never be waited for: say so at once.
  if (Number(header) > (await deps.store.headPosition())) {
    throw new HttpProblem(400, 'X-Min-Position is beyond the newest event; use a position from a write response.');
  }
  if (!(await deps.awaitReadModel(Number(header)))) {
    throw new HttpProblem(503, 'The read model is catching up; retry shortly.', undefined, {
      'Retry-After': '1',
    });
  }
}
