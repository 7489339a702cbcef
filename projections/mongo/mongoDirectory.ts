/** MongoDB users / organizations directory. */
import type { Collection, Filter } from 'mongodb';
import type { CompiledDirectoryQuery } from '../directoryQuery.js';
import type { DirectoryReadModel, Page } from '../readModel.js';
import { fromDoc, toDoc, upsertIfNewer, type Doc } from './mongoDocuments.js';

export class MongoDirectory<Row extends { id: string; revision: number }> implements DirectoryReadModel<Row> {
  constructor(private readonly collection: Collection<Doc<Row>>) {}

  async get(id: string): Promise<Row | null> {
    const doc = await this.collection.findOne({ _id: id } as Filter<Doc<Row>>);
    return doc ? fromDoc<Row>(doc as Doc<Row>) : null;
  }

  async upsert(row: Row): Promise<boolean> {
    const { _id, ...fields } = toDoc(row);
    return upsertIfNewer(this.collection, _id, fields as typeof fields & { revision: number });
  }

  async list(query: CompiledDirectoryQuery<Row>): Promise<Page<Row>> {
    const filter = query.mongo.filter as Filter<Doc<Row>>;
    const [docs, total] = await Promise.all([
      this.collection.find(filter).sort(query.mongo.sort).skip(query.skip).limit(query.limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    return {
      items: docs.map((doc) => fromDoc<Row>(doc as Doc<Row>)),
      total,
      page: query.page,
      perPage: query.perPage,
    };
  }
}
