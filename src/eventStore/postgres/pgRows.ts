import type { RecordedEvent } from '../eventStore.js';

/** An `events` row as node-postgres returns it: bigints as strings, json parsed, timestamptz as Date. */
export interface EventRow {
  position: string;
  id: string;
  stream: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
}

export const EVENT_COLUMNS = 'e.position, e.id, e.stream, e.revision, e.type, e.data, e.metadata, e.recorded_at';

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.id,
  type: row.type,
  data: row.data,
  metadata: row.metadata,
  streamName: row.stream,
  revision: Number(row.revision),
  position: Number(row.position),
  recordedAt: row.recorded_at.toISOString(),
});
