/**
 * An EventStore over a real one whose positions look like EventStoreDB's: byte offsets in a
 * log (here position × 64 + 17), so a computed value such as `p - 1` is not a position, and —
 * as EventStoreDB does — a read or subscription from a value that is not an event's position
 * (or 0, the start) is refused. It records every position it was asked to start from.
 */
import type { EventStore, RecordedEvent } from '../../../src/eventStore/eventStore.js';

const STRIDE = 64;
const OFFSET = 17;
const out = (position: number): number => (position === 0 ? 0 : position * STRIDE + OFFSET);

export class NotAPositionError extends Error {
  constructor(position: number) {
    super(`${position} is not the position of an event`);
    this.name = 'NotAPositionError';
  }
}

export interface ByteOffsetStore extends EventStore {
  /** Every `afterPosition` a read or subscription was started from. */
  readonly startedFrom: number[];
}

export function byteOffsetStore(inner: EventStore): ByteOffsetStore {
  const startedFrom: number[] = [];
  const inward = (position: number | undefined): number | undefined => {
    if (position === undefined) return undefined;
    startedFrom.push(position);
    if (position === 0) return 0;
    if ((position - OFFSET) % STRIDE !== 0 || position < STRIDE) throw new NotAPositionError(position);
    return (position - OFFSET) / STRIDE;
  };
  const mapEvent = (event: RecordedEvent): RecordedEvent => ({ ...event, position: out(event.position) });
  return {
    kind: inner.kind,
    startedFrom,
    async appendToStream(streamName, events, options) {
      const result = await inner.appendToStream(streamName, events, options);
      return { ...result, position: out(result.position) };
    },
    readStream: async (streamName, options) => (await inner.readStream(streamName, options)).map(mapEvent),
    async readAll(options = {}) {
      const afterPosition = inward(options.afterPosition);
      return (await inner.readAll({ ...options, ...(afterPosition === undefined ? {} : { afterPosition }) })).map(mapEvent);
    },
    subscribeToAll(options) {
      let afterPosition: number | undefined;
      try {
        afterPosition = inward(options.afterPosition);
      } catch (error) {
        queueMicrotask(() => options.onError?.(error as Error));
        return { position: options.afterPosition ?? 0, stop: async () => undefined };
      }
      const subscription = inner.subscribeToAll({
        ...options,
        ...(afterPosition === undefined ? {} : { afterPosition }),
        onEvent: (event) => options.onEvent(mapEvent(event)),
        ...(options.onCaughtUp ? { onCaughtUp: (position: number) => options.onCaughtUp!(out(position)) } : {}),
      });
      return {
        get position() {
          return out(subscription.position);
        },
        stop: () => subscription.stop(),
      };
    },
    headPosition: async () => out(await inner.headPosition()),
    setStreamMaxAge: (streamName, maxAgeSeconds) => inner.setStreamMaxAge(streamName, maxAgeSeconds),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
