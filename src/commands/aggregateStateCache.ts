import { refreshTokenFamilyDecider } from '../domain/tokens/refreshTokenFamilyDecider.js';
import type { AggregatedStream } from './aggregateStream.js';

/**
 * Folded states of recently handled streams, so the command handler reads only the events
 * appended since (its own, or another node's) instead of the whole stream. For streams that
 * grow without end — a refresh-token family gains one event per rotation — that turns each
 * command's load from O(stream length) into O(new events).
 *
 * Only for deciders whose states are immutable values (evolve returns new objects and never
 * changes the state it is given): a cached state is handed to `decide` and `evolve` again.
 * Bounded by the number of events the cached states stand for (their revisions), least
 * recently used first out. The store stays the truth: a cached entry is only a starting point
 * for a read, and a read that does not continue it exactly drops it.
 */
export interface AggregateStateCache {
  /** Whether states of this decider are kept. */
  covers(decider: object): boolean;
  get<S>(decider: object, streamName: string): AggregatedStream<S> | undefined;
  set<S>(decider: object, streamName: string, loaded: AggregatedStream<S>): void;
  delete(streamName: string): void;
  /** Events the cached states stand for, in all. */
  readonly weight: number;
  readonly size: number;
}

interface Entry {
  decider: object;
  loaded: AggregatedStream<unknown>;
  weight: number;
}

export function createAggregateStateCache(options: { deciders: readonly object[]; maxEvents: number }): AggregateStateCache {
  const deciders = new Set(options.deciders);
  const entries = new Map<string, Entry>();
  let weight = 0;
  const remove = (streamName: string): void => {
    const entry = entries.get(streamName);
    if (!entry) return;
    entries.delete(streamName);
    weight -= entry.weight;
  };
  return {
    covers: (decider) => deciders.has(decider),
    get<S>(decider: object, streamName: string) {
      const entry = entries.get(streamName);
      if (!entry || entry.decider !== decider) return undefined;
      // Most recently used last.
      entries.delete(streamName);
      entries.set(streamName, entry);
      return entry.loaded as AggregatedStream<S>;
    },
    set(decider, streamName, loaded) {
      remove(streamName);
      if (!deciders.has(decider)) return;
      const entryWeight = loaded.revision + 1;
      if (entryWeight > options.maxEvents) return;
      entries.set(streamName, { decider, loaded: loaded as AggregatedStream<unknown>, weight: entryWeight });
      weight += entryWeight;
      for (const [oldest] of entries) {
        if (weight <= options.maxEvents) break;
        remove(oldest);
      }
    },
    delete: remove,
    get weight() {
      return weight;
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * What the server keeps: refresh-token families, which grow by one event per rotation, up to
 * 200,000 events' worth of states (a family's state holds ~250 bytes per rotation).
 */
export const createServerStateCache = (): AggregateStateCache =>
  createAggregateStateCache({ deciders: [refreshTokenFamilyDecider], maxEvents: 200_000 });
