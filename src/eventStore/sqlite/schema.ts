/**
 * The event store file's schema, version 2 (`PRAGMA user_version`). Version 1 (the first
 * release) repeated the stream name and the event type in every row and in two indexes, and
 * kept ids and times as text; migrateSchema.ts upgrades such a file in place.
 *
 * - `streams`: one row per stream, numbered; the head revision survives retention deletes.
 * - `event_types`: one row per event type, numbered (rows and the type index hold the number).
 * - `events.id`: a UUID as its 16 bytes (BLOB); any other id as the text it was written as.
 * - `events.body`: `<data JSON>\n<metadata JSON>` — as text, or deflated (rowCodec.ts).
 * - `events.recorded_at`: epoch milliseconds.
 */
export const SCHEMA_VERSION = 2;

export const SCHEMA_DDL = `
CREATE TABLE streams (
  id       INTEGER PRIMARY KEY,
  name     TEXT    NOT NULL UNIQUE,
  revision INTEGER NOT NULL,
  max_age  INTEGER
);
CREATE TABLE event_types (
  id   INTEGER PRIMARY KEY,
  name TEXT    NOT NULL UNIQUE
);
CREATE TABLE events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  id          BLOB    NOT NULL UNIQUE,
  stream      INTEGER NOT NULL,
  revision    INTEGER NOT NULL,
  type        INTEGER NOT NULL,
  body        BLOB    NOT NULL,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream, revision)
);
CREATE INDEX events_by_type ON events (type, position);
`;
