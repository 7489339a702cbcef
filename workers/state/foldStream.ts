import type { EventStore, RecordedEvent } from '../../src/eventStore/eventStore.js';

/**
 * Folds one stream with a domain `evolve`. `upToRevision` (inclusive) gives the state as of
 * one event: an email about a creation shows the application as it was created, even if it
 * was renamed before the job ran.
 */
export async function foldStream<S, E>(
  store: EventStore,
  streamName: string,
  evolve: (state: S, event: E) => S,
  initial: S,
  upToRevision?: number,
): Promise<S> {
  const events: RecordedEvent[] = await store.readStream(streamName, {
    direction: 'forwards',
    ...(upToRevision === undefined ? {} : { maxCount: upToRevision + 1 }),
  });
  return events.reduce((state, event) => evolve(state, event as unknown as E), initial);
}
