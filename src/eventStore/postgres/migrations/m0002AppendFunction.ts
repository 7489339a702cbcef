import type { Migration } from './migration.js';

/** Advisory lock key under which positions are taken (see the function's comment). */
export const POSITION_LOCK_KEY = 746_101_001;
/**
 * `tollgate_append`: a batch of appends as ONE statement (its own transaction when called in
 * autocommit): one round trip and one commit for the batch.
 *
 * Global order. Readers only see rows whose transaction id is below the oldest transaction
 * still running (`pg_snapshot_xmin`), so a reader never passes a writer that is still in
 * flight. That alone is not enough for a single-number cursor: a sequence can hand a lower
 * position to a later transaction id. So the transaction id is assigned and the positions
 * are taken together under a session advisory lock held for those two steps only (not
 * until commit): positions then grow with transaction ids, and "every row with a position
 * above P" cannot later gain a row below the highest position a reader has seen.
 *
 * Each append is checked against its own expected revision (-1 any, -2 no stream, -3 stream
 * exists, n >= 0 that revision) with a conditional update of its stream head (the row lock
 * serializes writers of one stream across nodes); a conflict or a duplicate event id fails
 * that append only (its writes are undone), and the others commit. Clients sort a batch by
 * stream, so two batches lock their streams in the same order and cannot deadlock.
 *
 * No NOTIFY here: PostgreSQL serializes the commits of transactions that notify (a global
 * lock held through the commit's WAL flush), which cut concurrent appends to a third when
 * measured. The store announces commits afterwards, in a transaction of their own (pgNotifier.ts).
 */
export const m0002AppendFunction: Migration = {
  version: 2,
  name: 'append function',
  sql: `
    CREATE FUNCTION tollgate_append(
      p_streams text[], p_expected bigint[], p_counts integer[],
      p_ids text[], p_types text[], p_data text[], p_metadata text[],
      p_recorded_at timestamptz
    ) RETURNS TABLE (outcome text, head_revision bigint, last_position bigint, xid text)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      v_first bigint;
      v_offset integer := 0;
      v_stream text;
      v_expected bigint;
      v_count integer;
      v_head bigint;
      v_inserted integer;
      v_xid text;
    BEGIN
      IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'tollgate_append must be the first write of its transaction';
      END IF;
      PERFORM pg_advisory_lock(${POSITION_LOCK_KEY});
      BEGIN
        v_xid := pg_current_xact_id()::text;
        v_first := nextval('event_positions');
        IF array_length(p_ids, 1) > 1 THEN
          PERFORM setval('event_positions', v_first + array_length(p_ids, 1) - 1);
        END IF;
      EXCEPTION WHEN OTHERS THEN
        PERFORM pg_advisory_unlock(${POSITION_LOCK_KEY});
        RAISE;
      END;
      PERFORM pg_advisory_unlock(${POSITION_LOCK_KEY});

      FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
        v_stream := p_streams[i];
        v_expected := p_expected[i];
        v_count := p_counts[i];
        v_head := NULL;
        IF v_expected = -1 THEN
          INSERT INTO streams AS s (stream, revision) VALUES (v_stream, v_count - 1)
          ON CONFLICT (stream) DO UPDATE SET revision = s.revision + v_count
          RETURNING s.revision INTO v_head;
        ELSIF v_expected = -2 THEN
          INSERT INTO streams AS s (stream, revision) VALUES (v_stream, v_count - 1)
          ON CONFLICT (stream) DO UPDATE SET revision = v_count - 1 WHERE s.revision = -1
          RETURNING s.revision INTO v_head;
        ELSIF v_expected = -3 THEN
          UPDATE streams s SET revision = s.revision + v_count
          WHERE s.stream = v_stream AND s.revision >= 0
          RETURNING s.revision INTO v_head;
        ELSE
          UPDATE streams s SET revision = s.revision + v_count
          WHERE s.stream = v_stream AND s.revision = v_expected
          RETURNING s.revision INTO v_head;
        END IF;

        IF v_head IS NULL THEN
          SELECT s.revision INTO v_head FROM streams s WHERE s.stream = v_stream;
          outcome := 'conflict'; head_revision := coalesce(v_head, -1); last_position := NULL;
          RETURN NEXT;
        ELSE
          INSERT INTO events (position, id, stream, revision, type, data, metadata, recorded_at)
          SELECT v_first + v_offset + k - 1, p_ids[v_offset + k], v_stream, v_head - v_count + k,
                 p_types[v_offset + k], p_data[v_offset + k]::json, p_metadata[v_offset + k]::json, p_recorded_at
          FROM generate_series(1, v_count) AS k
          ON CONFLICT (id) DO NOTHING;
          GET DIAGNOSTICS v_inserted = ROW_COUNT;
          IF v_inserted < v_count THEN
            DELETE FROM events e WHERE e.position BETWEEN v_first + v_offset AND v_first + v_offset + v_count - 1;
            UPDATE streams s SET revision = v_head - v_count WHERE s.stream = v_stream;
            outcome := 'duplicate_id'; head_revision := v_head - v_count; last_position := NULL;
            RETURN NEXT;
          ELSE
            outcome := 'ok'; head_revision := v_head; last_position := v_first + v_offset + v_count - 1;
            RETURN NEXT;
          END IF;
        END IF;
        v_offset := v_offset + v_count;
      END LOOP;

      xid := v_xid; outcome := 'done'; head_revision := NULL; last_position := NULL;
      RETURN NEXT;
    END
    $fn$;
  `,
};
