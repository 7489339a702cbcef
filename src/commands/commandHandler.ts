import { DomainError } from '../domain/shared/domainError.js';
import type { CommandMetadata, Decider } from '../domain/shared/event.js';
import { toEventMetadata } from '../eventStore/eventMetadata.js';
import {
  isConcurrencyError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../eventStore/eventStore.js';
import { newEventId } from '../security/ids.js';
import type { AggregateStateCache } from './aggregateStateCache.js';
import { foldEvents, type AggregatedStream } from './aggregateStream.js';

export interface DomainEventShape {
  type: string;
  data: object;
}

export interface CommandShape {
  metadata: CommandMetadata;
}

/**
 * A command, or a function building it from the freshly loaded state. The function form
 * lets a caller look something up between load and decide (the uniqueness holder check);
 * it runs again on every retry, so the look-up always matches the state decided on.
 */
export type CommandInput<S, C> = C | ((state: S, revision: number) => C | Promise<C>);

export interface HandleOptions {
  /** The revision the caller saw (HTTP If-Match). A mismatch is STALE_REVISION, never retried. */
  expectedRevision?: number;
}

export interface HandleResult<S> {
  /** The events this command appended, as recorded (ids, revisions, positions). */
  events: RecordedEvent[];
  /** Revision of the stream's last event after the command; -1 when the stream is still empty. */
  nextExpectedRevision: number;
  /** Global position of the stream's last event (read-your-writes waits for it); 0 when empty. */
  position: number;
  state: S;
}

export interface CommandHandler {
  handle<S, C extends CommandShape, E extends DomainEventShape>(
    decider: Decider<S, C, E>,
    streamName: string,
    command: CommandInput<S, C>,
    options?: HandleOptions,
  ): Promise<HandleResult<S>>;
}

const staleRevision = (expected: number, actual: number): DomainError =>
  new DomainError('STALE_REVISION', `The resource changed: expected revision ${expected}, current ${actual}`);

/** Reads back what was appended; synthesises the records if a reader cannot see them yet. */
const recorded = async (
  store: EventStore,
  streamName: string,
  newEvents: NewEvent[],
  firstRevision: number,
  position: number,
): Promise<RecordedEvent[]> => {
  // The append has succeeded; a failing read-back must not make the caller believe otherwise.
  const read = await store
    .readStream(streamName, { fromRevision: firstRevision, maxCount: newEvents.length })
    .catch((): RecordedEvent[] => []);
  if (read.length === newEvents.length && read.every((e, i) => e.id === newEvents[i]!.id)) return read;
  return newEvents.map((e, i) => ({
    ...e,
    streamName,
    revision: firstRevision + i,
    position,
    recordedAt: e.metadata.occurredAt,
  }));
};

/**
 * Load → decide → append with the loaded revision. On a concurrency conflict the stream is
 * reloaded and the command decided again (up to `maxRetries` times) — safe because deciding
 * is pure — and then the caller gets CONFLICT. With a caller-supplied revision there is no
 * retry: a mismatch means the caller decided on an old view, which only the caller can fix.
 */
export const createCommandHandler = (
  store: EventStore,
  { maxRetries = 3, stateCache }: { maxRetries?: number; stateCache?: AggregateStateCache } = {},
): CommandHandler => {
  /** The stream's state: from the cache plus the events after it, or folded from the start. */
  const load = async <S, E>(decider: { evolve: (s: S, e: E) => S; initialState: () => S }, streamName: string): Promise<AggregatedStream<S>> => {
    const cached = stateCache?.get<S>(decider, streamName);
    if (cached) {
      const newer = await store.readStream(streamName, { direction: 'forwards', fromRevision: cached.revision + 1 });
      if (newer.length === 0) return cached;
      // Only an exact continuation extends the cached state (a truncated stream does not).
      if (newer[0]!.revision === cached.revision + 1) return foldEvents(newer, decider.evolve, cached.state);
      stateCache!.delete(streamName);
    }
    return foldEvents(await store.readStream(streamName, { direction: 'forwards' }), decider.evolve, decider.initialState());
  };
  const remember = <S>(decider: object, streamName: string, loaded: AggregatedStream<S>): void => {
    if (stateCache?.covers(decider)) stateCache.set(decider, streamName, loaded);
  };

  return {
    async handle(decider, streamName, commandInput, options = {}) {
      const { expectedRevision } = options;
      for (let attempt = 0; ; attempt++) {
        const loaded = await load(decider, streamName);
        if (expectedRevision !== undefined && expectedRevision !== loaded.revision) {
          throw staleRevision(expectedRevision, loaded.revision);
        }
        const command =
          typeof commandInput === 'function' ? await commandInput(loaded.state, loaded.revision) : commandInput;
        const decided = decider.decide(command, loaded.state);
        if (decided.length === 0) {
          remember(decider, streamName, loaded);
          return { events: [], nextExpectedRevision: loaded.revision, position: loaded.position, state: loaded.state };
        }
        const newEvents: NewEvent[] = decided.map((e) => ({
          id: newEventId(),
          type: e.type,
          data: e.data,
          metadata: toEventMetadata(e.type, command.metadata),
        }));
        try {
          const result = await store.appendToStream(streamName, newEvents, {
            expectedRevision: loaded.revision === -1 ? 'no_stream' : loaded.revision,
          });
          const events = await recorded(store, streamName, newEvents, loaded.revision + 1, result.position);
          const state = foldEvents(events, decider.evolve, loaded.state).state;
          remember(decider, streamName, { state, revision: result.nextExpectedRevision, position: result.position });
          return { events, nextExpectedRevision: result.nextExpectedRevision, position: result.position, state };
        } catch (error) {
          if (!isConcurrencyError(error)) throw error;
          if (expectedRevision !== undefined) {
            throw staleRevision(expectedRevision, typeof error.actual === 'number' ? error.actual : -1);
          }
          if (attempt >= maxRetries) {
            throw new DomainError('CONFLICT', `Stream ${streamName} kept changing; gave up after ${attempt + 1} attempts`);
          }
        }
      }
    },
  };
};
