/**
 * Row ⇄ document mapping and the revision-conditional upsert shared by every collection.
 * Documents use the row id as `_id`.
 */
import { MongoServerError, type Collection, type Document, type Filter, type UpdateFilter } from 'mongodb';

export type Doc<Row extends { id: string }> = Omit<Row, 'id'> & { _id: string };

export function toDoc<Row extends { id: string }>(row: Row): Doc<Row> {
  const { id, ...rest } = row;
  return { ...rest, _id: id } as Doc<Row>;
}

export function fromDoc<Row extends { id: string }>(doc: Doc<Row>): Row {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id } as unknown as Row;
}

const DUPLICATE_KEY = 11000;

/**
 * Writes `fields` only when the stored revision is lower, inserting when there is no document.
 * When the document exists with a revision ≥ the new one, the filter misses, the upsert tries
 * an insert and the unique `_id` refuses it: that duplicate key *is* the "already applied"
 * answer (a replayed event), so it reads as false, not as an error.
 */
export async function upsertIfNewer<D extends Document & { _id: string }>(
  collection: Collection<D>,
  id: string,
  fields: Document & { revision: number },
  onInsert?: Document,
): Promise<boolean> {
  const update: Document = { $set: fields };
  if (onInsert) update.$setOnInsert = onInsert;
  try {
    const result = await collection.updateOne(
      { _id: id, revision: { $lt: fields.revision } } as unknown as Filter<D>,
      update as UpdateFilter<D>,
      { upsert: true },
    );
    return result.matchedCount + result.upsertedCount > 0;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
    throw error;
  }
}
