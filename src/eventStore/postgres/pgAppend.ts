import type { QueryConfig } from 'pg';
import { ConcurrencyError, type AppendResult, type ExpectedRevision } from '../eventStore.js';

/** An append as the batch sends it: rows already serialized. */
export interface PgAppend {
  streamName: string;
  expectedRevision: ExpectedRevision;
  rows: ReadonlyArray<{ id: string; type: string; data: string; metadata: string }>;
}

export type PgAppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: Error };

const encodeExpected = (expected: ExpectedRevision): number =>
  expected === 'any' ? -1 : expected === 'no_stream' ? -2 : expected === 'stream_exists' ? -3 : expected;

/**
 * The batch as one call of `tollgate_append` (migrations/m0002AppendFunction.ts). Appends
 * are sent sorted by stream (stable: appends to one stream keep their order), so batches of
 * different nodes lock stream heads in the same order.
 */
export function appendBatchQuery(batch: readonly PgAppend[], recordedAt: Date): { query: QueryConfig; order: number[] } {
  const order = batch.map((_, i) => i).sort((a, b) => {
    const [x, y] = [batch[a]!.streamName, batch[b]!.streamName];
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  const sorted = order.map((i) => batch[i]!);
  const rows = sorted.flatMap((append) => append.rows);
  return {
    order,
    query: {
      name: 'tollgate-append',
      text: 'SELECT outcome, head_revision, last_position, xid FROM tollgate_append($1, $2, $3, $4, $5, $6, $7, $8)',
      values: [
        sorted.map((append) => append.streamName),
        sorted.map((append) => encodeExpected(append.expectedRevision)),
        sorted.map((append) => append.rows.length),
        rows.map((row) => row.id),
        rows.map((row) => row.type),
        rows.map((row) => row.data),
        rows.map((row) => row.metadata),
        recordedAt.toISOString(),
      ],
    },
  };
}

interface OutcomeRow {
  outcome: 'ok' | 'conflict' | 'duplicate_id' | 'done';
  head_revision: string | null;
  last_position: string | null;
  xid: string | null;
}

/** The function's rows as one outcome per append, in the batch's original order, and the commit's transaction id. */
export function decodeOutcomes(batch: readonly PgAppend[], order: readonly number[], rows: readonly OutcomeRow[]): { outcomes: PgAppendOutcome[]; xid: bigint } {
  const outcomes = new Array<PgAppendOutcome>(batch.length);
  const perAppend = rows.filter((row) => row.outcome !== 'done');
  const done = rows.find((row) => row.outcome === 'done');
  if (perAppend.length !== batch.length || done?.xid == null) throw new Error('tollgate_append returned an unexpected result');
  perAppend.forEach((row, k) => {
    const i = order[k]!;
    const append = batch[i]!;
    const head = Number(row.head_revision);
    if (row.outcome === 'ok') {
      outcomes[i] = { ok: true, result: { nextExpectedRevision: head, position: Number(row.last_position) } };
    } else if (row.outcome === 'conflict') {
      outcomes[i] = { ok: false, error: new ConcurrencyError(append.streamName, append.expectedRevision, head < 0 ? 'no_stream' : head) };
    } else {
      outcomes[i] = { ok: false, error: new Error(`appendToStream(${append.streamName}): an event id is already stored`) };
    }
  });
  return { outcomes, xid: BigInt(done.xid) };
}
