import type { ExpectedRevision, NewEvent } from './eventStore.js';

/** Input checks shared by the adapters: bad input is a programming error, reported as TypeError. */
export function validateAppend(
  streamName: unknown,
  events: unknown,
  expectedRevision: unknown,
): asserts events is NewEvent[] {
  if (typeof streamName !== 'string' || streamName.length === 0) {
    throw new TypeError('appendToStream: the stream name must be a non-empty string');
  }
  if (streamName.startsWith('$')) {
    throw new TypeError(`appendToStream: stream names starting with $ are reserved (${streamName})`);
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new TypeError(`appendToStream(${streamName}): at least one event is required`);
  }
  for (const event of events as Partial<NewEvent>[]) {
    if (typeof event?.id !== 'string' || event.id.length === 0) {
      throw new TypeError(`appendToStream(${streamName}): every event needs a string id`);
    }
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.startsWith('$')) {
      throw new TypeError(`appendToStream(${streamName}): event ${event.id} has an invalid type`);
    }
    if (event.data === undefined || typeof event.metadata !== 'object' || event.metadata === null) {
      throw new TypeError(`appendToStream(${streamName}): event ${event.id} needs data and metadata`);
    }
  }
  if (!isExpectedRevision(expectedRevision)) {
    throw new TypeError(
      `appendToStream(${streamName}): invalid expected revision ${String(expectedRevision)}`,
    );
  }
}

export const isExpectedRevision = (value: unknown): value is ExpectedRevision =>
  value === 'any' ||
  value === 'no_stream' ||
  value === 'stream_exists' ||
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);

/** `setStreamMaxAge` input: a stream name as for appends and a positive whole number of seconds. */
export function validateMaxAge(streamName: unknown, maxAgeSeconds: unknown): void {
  if (typeof streamName !== 'string' || streamName.length === 0 || streamName.startsWith('$')) {
    throw new TypeError(`setStreamMaxAge: invalid stream name ${JSON.stringify(streamName)}`);
  }
  if (typeof maxAgeSeconds !== 'number' || !Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds <= 0) {
    throw new TypeError(`setStreamMaxAge(${streamName}): invalid max age ${String(maxAgeSeconds)}`);
  }
}
