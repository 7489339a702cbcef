import type { EventStore, RecordedEvent } from '../eventStore/eventStore.js';

export interface AggregatedStream<S> {
  state: S;
  /** Revision of the last event folded; -1 when none (the stream is empty or starts later). */
  revision: number;
  /** Global position of the last event folded; 0 when none. */
  position: number;
}

const occurredAt = (event: RecordedEvent): number => Date.parse(event.metadata?.occurredAt ?? event.recordedAt);

/**
 * Folds recorded events with a decider's `evolve`. Recorded events are handed over whole:
 * `evolve` reads their type and data, and `metadata.occurredAt` for timestamps in state.
 */
export const foldEvents = <S, E>(
  events: readonly RecordedEvent[],
  evolve: (state: S, event: E) => S,
  initial: S,
): AggregatedStream<S> => {
  let state = initial;
  let revision = -1;
  let position = 0;
  for (const event of events) {
    state = evolve(state, event as unknown as E);
    revision = event.revision;
    position = event.position;
  }
  return { state, revision, position };
};

/**
 * The state of one stream, optionally as it was at `asOf` (`?asOf=` time travel): events
 * are folded in stream order up to the first one that occurred after `asOf`, so the result
 * is always a prefix of the history (even if clocks of two writers disagreed slightly).
 */
export const aggregateStream = async <S, E>(
  store: EventStore,
  streamName: string,
  evolve: (state: S, event: E) => S,
  initialState: () => S,
  options: { asOf?: Date } = {},
): Promise<AggregatedStream<S>> => {
  const events = await store.readStream(streamName, { direction: 'forwards' });
  const { asOf } = options;
  if (asOf === undefined) return foldEvents(events, evolve, initialState());
  const limit = asOf.getTime();
  const cut = events.findIndex((e) => !(occurredAt(e) <= limit));
  return foldEvents(cut === -1 ? events : events.slice(0, cut), evolve, initialState());
};
