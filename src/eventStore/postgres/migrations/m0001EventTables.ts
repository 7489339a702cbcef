import type { Migration } from './migration.js';

/**
 * The log and the stream heads. `streams.revision` is the stream's last revision (-1: none
 * yet, a max age set in advance); it is kept when retention deletes events, so revisions go
 * on. Positions come from a sequence, taken in the order of transaction ids (see
 * m0002AppendFunction); `transaction_id` lets readers wait for every older writer.
 * `data` and `metadata` are `json` (kept as written), not `jsonb`: jsonb refuses `\u0000`,
 * which uniqueness keys contain.
 */
export const m0001EventTables: Migration = {
  version: 1,
  name: 'event tables',
  sql: `
    CREATE TABLE streams (
      stream text PRIMARY KEY,
      revision bigint NOT NULL,
      max_age_seconds integer CHECK (max_age_seconds > 0)
    );
    CREATE SEQUENCE event_positions AS bigint;
    CREATE TABLE events (
      position bigint PRIMARY KEY,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      id text NOT NULL UNIQUE,
      stream text NOT NULL,
      revision bigint NOT NULL,
      type text NOT NULL,
      data json NOT NULL,
      metadata json NOT NULL,
      recorded_at timestamptz NOT NULL,
      UNIQUE (stream, revision)
    );
    CREATE INDEX events_type_position ON events (type, position);
  `,
};
