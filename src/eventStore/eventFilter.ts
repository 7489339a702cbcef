import type { EventFilter, RecordedEvent } from './eventStore.js';

/** The port's filter semantics: prefixes OR-ed, types OR-ed, both AND-ed; empty lists filter nothing. */
export const matchesFilter = (
  event: Pick<RecordedEvent, 'streamName' | 'type'>,
  filter: EventFilter | undefined,
): boolean => {
  const prefixes = filter?.streamPrefixes ?? [];
  const types = filter?.eventTypes ?? [];
  return (
    (prefixes.length === 0 || prefixes.some((prefix) => event.streamName.startsWith(prefix))) &&
    (types.length === 0 || types.includes(event.type))
  );
};
