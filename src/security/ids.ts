import { randomUUID } from 'node:crypto';
import { v7 } from 'uuid';

/** A new random id (UUID v4) for aggregates. */
export const newId = (): string => randomUUID();

/**
 * A new event id: UUID v7 (RFC 9562: millisecond time, then random bits). Ids in creation order
 * land at the end of the event store's unique id index instead of on random pages of it, which
 * cuts what each group commit writes (BENCHMARKS.md). Still unguessable enough for an id: 74
 * random bits, and ids are not secrets.
 */
export const newEventId = (): string => v7();
