/**
 * An application's history, read in bounded pages: the application stream and (optionally)
 * its token stream, each through a bounded cursor, merged by global position page by page.
 * Memory per page is bounded by the page size and one chunk per stream; nothing here ever
 * reads a whole stream. The admin API, the exports, the audit CLI (and later the console)
 * call these functions; authorization happens before (the caller has loaded a visible
 * application).
 */
import { toApplicationStreamName, toTokensStreamName } from '../domain/shared/streamNames.js';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore.js';
import { findRevisionAtTime, streamBounds } from '../eventStore/findRevisionAtTime.js';
import { toHistoryEntry, type HistoryEntry } from '../admin/historyEntry.js';
import type { ActorDescriber, ActorDescription } from './actorDescription.js';
import { encodeHistoryCursor, decodeHistoryCursor, type HistoryPosition } from './historyCursor.js';
import { inAuditTurn } from './auditGate.js';
import { HISTORY_CHUNK, createStreamCursor, type HistoryOrder, type ScanBudget, type StreamCursor, type StreamWindow } from './streamCursor.js';

export const TOKEN_EVENT_TYPES: ReadonlySet<string> = new Set(['TokenIssued', 'TokenRevoked', 'AuthorizationCodeGranted']);
/** Events read (and filtered out) per page at most; a page that hits it ends early with a next cursor. */
export const HISTORY_SCAN_BUDGET = 10_000;

export interface HistoryQuery {
  applicationId: string;
  includeTokens: boolean;
  /** Event types to keep; undefined or empty: all. */
  types?: readonly string[];
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  order: HistoryOrder;
  perPage: number;
  /** Filtered-out events a page may read before it ends early; default HISTORY_SCAN_BUDGET. */
  scanBudget?: number;
}

export type AuditedEntry = Omit<HistoryEntry, 'actorKind' | 'via'> & ActorDescription;

export interface HistoryPage {
  items: AuditedEntry[];
  /** Opaque cursor of the next page; null on the last page. A page may be short and still have a next one. */
  next: string | null;
}

const windowOf = (query: HistoryQuery): StreamWindow => ({
  order: query.order,
  from: query.from?.getTime() ?? Number.NEGATIVE_INFINITY,
  to: query.to?.getTime() ?? Number.POSITIVE_INFINITY,
  types: query.types && query.types.length > 0 ? new Set(query.types) : null,
});

/** Which streams the query can find anything in (a type filter of token types skips the application stream). */
const streamsOf = (query: HistoryQuery, window: StreamWindow) => {
  const types = window.types === null ? null : [...window.types];
  return {
    application: types === null || types.some((t) => !TOKEN_EVENT_TYPES.has(t)),
    tokens: query.includeTokens && (types === null || types.some((t) => TOKEN_EVENT_TYPES.has(t))),
  };
};

/** Where a first page starts in one stream: found by time with bounded reads. */
async function startOf(store: EventStore, streamName: string, window: StreamWindow): Promise<number | null> {
  if (window.order === 'asc') {
    if (window.from === Number.NEGATIVE_INFINITY) return 0;
    return findRevisionAtTime(store, streamName, new Date(window.from));
  }
  const bounds = await streamBounds(store, streamName);
  if (bounds === null) return null;
  if (window.to === Number.POSITIVE_INFINITY) return bounds.last;
  const firstAtOrAfterTo = await findRevisionAtTime(store, streamName, new Date(window.to));
  return firstAtOrAfterTo === null ? bounds.last : firstAtOrAfterTo - 1;
}

async function firstPosition(store: EventStore, query: HistoryQuery, window: StreamWindow): Promise<HistoryPosition> {
  const streams = streamsOf(query, window);
  return {
    order: query.order,
    application: streams.application ? await startOf(store, toApplicationStreamName(query.applicationId), window) : null,
    tokens: streams.tokens ? await startOf(store, toTokensStreamName(query.applicationId), window) : null,
  };
}

/** The one of two candidates that comes first in the page's order (global positions never tie). */
const pick = (order: HistoryOrder, a: RecordedEvent | null, b: RecordedEvent | null): 'a' | 'b' | null => {
  if (a === null) return b === null ? null : 'b';
  if (b === null) return 'a';
  return (order === 'desc') === a.position > b.position ? 'a' : 'b';
};

/**
 * One page. `cursor` is a previous page's `next` (validated: a foreign or tampered one is a
 * VALIDATION error); without it the page starts at the newest (desc) or oldest (asc) event
 * of the window.
 */
export function readHistoryPage(
  store: EventStore,
  query: HistoryQuery,
  describe: ActorDescriber,
  cursor?: string,
): Promise<HistoryPage> {
  return inAuditTurn(() => readPage(store, query, describe, cursor));
}

/** Turns a page's entries into what the caller sends (an export's lines), inside the audit turn. */
export type PageRenderer<T> = (items: AuditedEntry[]) => T;

async function readPage(store: EventStore, query: HistoryQuery, describe: ActorDescriber, cursor?: string): Promise<HistoryPage> {
  const window = windowOf(query);
  const position = cursor === undefined ? await firstPosition(store, query, window) : decodeHistoryCursor(cursor, query.order);
  const streams = streamsOf(query, window);
  // A page needs at most perPage events of a stream, and one more to know whether more follow.
  const chunk = Math.min(HISTORY_CHUNK, Math.max(32, query.perPage + 1));
  const application = createStreamCursor(store, toApplicationStreamName(query.applicationId), window, streams.application ? position.application : null, chunk);
  const tokens = createStreamCursor(store, toTokensStreamName(query.applicationId), window, streams.tokens ? position.tokens : null, chunk);
  const budget: ScanBudget = { remaining: query.scanBudget ?? HISTORY_SCAN_BUDGET };
  const events: RecordedEvent[] = [];
  let paused = false;
  while (events.length < query.perPage) {
    const [a, b] = [await application.peek(budget), await tokens.peek(budget)];
    if (a === 'paused' || b === 'paused') {
      paused = true;
      break;
    }
    const chosen = pick(query.order, a, b);
    if (chosen === null) break;
    const from: StreamCursor = chosen === 'a' ? application : tokens;
    events.push((chosen === 'a' ? a : b)!);
    from.take();
  }
  // Look one past a full page, so the last page says so instead of linking to an empty one.
  if (!paused) for (const stream of [application, tokens]) if ((await stream.peek(budget)) === 'paused') paused = true;
  const next: HistoryPosition = { order: query.order, application: application.next, tokens: tokens.next };
  const more = paused || next.application !== null || next.tokens !== null;
  const items: AuditedEntry[] = [];
  for (const event of events) items.push({ ...toHistoryEntry(event), ...(await describe(event)) });
  return { items, next: more ? encodeHistoryCursor(next) : null };
}

/**
 * Every page of the query, one after the other, each passed through `render` (an export's
 * serialization) inside the same audit turn: rendering is audit work too, paced with the
 * reads, and the page's entries are garbage before the next page is read.
 */
export async function* historyPages<T>(
  store: EventStore,
  query: HistoryQuery,
  describe: ActorDescriber,
  render: PageRenderer<T>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await inAuditTurn(async () => {
      const read = await readPage(store, query, describe, cursor);
      return { rendered: read.items.length > 0 ? render(read.items) : undefined, next: read.next };
    });
    if (page.rendered !== undefined) yield page.rendered;
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
}
