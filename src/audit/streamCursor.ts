import { paceAuditWork } from './auditGate.js';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore.js';
import { eventTimeOf } from '../eventStore/findRevisionAtTime.js';

export type HistoryOrder = 'asc' | 'desc';

/** Events read from the store per chunk: small enough that one read is a few milliseconds. */
export const HISTORY_CHUNK = 256;

export interface StreamWindow {
  order: HistoryOrder;
  /** Inclusive lower time bound (ms), or -Infinity. */
  from: number;
  /** Exclusive upper time bound (ms), or +Infinity. */
  to: number;
  /** Event types to keep; null: all. */
  types: ReadonlySet<string> | null;
}

/** Counts events read for one page, so a page whose filter matches little still ends. */
export interface ScanBudget {
  remaining: number;
}

/**
 * One stream read in bounded chunks in one direction, starting at a revision. Holds at most
 * one chunk. `next` is the revision of the first event not yet handed out (null: nothing
 * left in the window), which is what a cursor stores.
 */
export interface StreamCursor {
  /** The next matching event; null: none left; 'paused': the page's scan budget ran out first. */
  peek(budget: ScanBudget): Promise<RecordedEvent | null | 'paused'>;
  take(): void;
  readonly next: number | null;
}

export function createStreamCursor(
  store: EventStore,
  streamName: string,
  window: StreamWindow,
  start: number | null,
  chunk = HISTORY_CHUNK,
): StreamCursor {
  const backwards = window.order === 'desc';
  let buffer: RecordedEvent[] = [];
  let index = 0;
  let readFrom = start; // next revision to read from the store; null: the store has no more
  let done = start === null || start < 0;

  const outside = (event: RecordedEvent): 'before' | 'after' | null => {
    const time = eventTimeOf(event);
    if (time < window.from) return 'before';
    if (time >= window.to) return 'after';
    return null;
  };

  const fill = async (): Promise<void> => {
    if (readFrom === null || readFrom < 0) {
      done = true;
      return;
    }
    // A chunk is read synchronously by the embedded store: yield first, so a long scan
    // interleaves with token requests instead of holding the event loop.
    await paceAuditWork();
    buffer = await store.readStream(streamName, {
      direction: backwards ? 'backwards' : 'forwards',
      fromRevision: readFrom,
      maxCount: chunk,
    });
    index = 0;
    const last = buffer.at(-1);
    if (last === undefined || buffer.length < chunk) readFrom = null;
    else readFrom = backwards ? last.revision - 1 : last.revision + 1;
    if (buffer.length === 0) done = true;
  };

  return {
    async peek(budget) {
      while (!done) {
        if (budget.remaining <= 0) return 'paused';
        if (index >= buffer.length) {
          await fill();
          continue;
        }
        const event = buffer[index]!;
        const where = outside(event);
        // Past the far end of the window: nothing further in this direction can match.
        if ((backwards && where === 'before') || (!backwards && where === 'after')) {
          done = true;
          break;
        }
        if (where === null && (window.types === null || window.types.has(event.type))) return event;
        index += 1;
        budget.remaining -= 1;
      }
      return null;
    },
    take() {
      index += 1;
    },
    get next() {
      if (done) return null;
      if (index < buffer.length) return buffer[index]!.revision;
      return readFrom !== null && readFrom < 0 ? null : readFrom;
    },
  };
}
