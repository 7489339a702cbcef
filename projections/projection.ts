/**
 * A projection: handlers keyed by event type, each `(event, readModel) => Promise<void>`,
 * plus the stream prefixes it needs (the runner subscribes to their union). Handlers are
 * idempotent: they write through the read model's revision-conditional upserts or
 * monotonic / set-to-value updates, so an event applied twice changes nothing.
 */
import type { RecordedEvent } from '../src/eventStore/eventStore.js';
import type { ReadModel } from './readModel.js';

export type ProjectionHandler = (event: RecordedEvent, readModel: ReadModel) => Promise<void>;

export interface Projection {
  readonly name: string;
  readonly streamPrefixes: readonly string[];
  readonly handlers: Readonly<Record<string, ProjectionHandler>>;
  /** False when its lag must never make a node unready (last-used times). Default true. */
  readonly gatesReadiness?: boolean;
  /** Writes buffered work. The runner calls it before every checkpoint and at stop. */
  flush?(readModel: ReadModel): Promise<void>;
  /** Drops buffered work (before a rebuild). */
  reset?(): void;
}

/** Types a handler by its event: `on<ApplicationCreated>(async (data, event, rm) => …)`. */
export const on =
  <E extends { type: string; data: object }>(
    handler: (data: E['data'], event: RecordedEvent, readModel: ReadModel) => Promise<void>,
  ): ProjectionHandler =>
  (event, readModel) =>
    handler(event.data as E['data'], event, readModel);

/** Applies events to a read model through projections, in order (tests and benchmarks). */
export async function applyEvents(
  projections: readonly Projection[],
  readModel: ReadModel,
  events: Iterable<RecordedEvent>,
): Promise<void> {
  for (const event of events) {
    for (const projection of projections) {
      const handler = projection.handlers[event.type];
      if (handler && projection.streamPrefixes.some((p) => event.streamName.startsWith(p))) {
        await handler(event, readModel);
      }
    }
  }
  for (const projection of projections) await projection.flush?.(readModel);
}
