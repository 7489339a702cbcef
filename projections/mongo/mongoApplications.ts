/** MongoDB applications grid: the compiled grid query's filter + sort, run as is. */
import type { AnyBulkWriteOperation, Collection, Filter } from 'mongodb';
import type { CompiledGridQuery } from '../gridQuery.js';
import type {
  ApplicationGridRow,
  ApplicationReadModel,
  ApplicationRowUpsert,
  LastUsedUpdate,
  Page,
} from '../readModel.js';
import { fromDoc, toDoc, upsertIfNewer, type Doc } from './mongoDocuments.js';

type AppDoc = Doc<ApplicationGridRow>;

export class MongoApplications implements ApplicationReadModel {
  constructor(private readonly collection: Collection<AppDoc>) {}

  async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<ApplicationGridRow | null> {
    const filter: Filter<AppDoc> = options.includeDeleted === true ? { _id: id } : { _id: id, deleted: false };
    const doc = await this.collection.findOne(filter);
    return doc ? fromDoc<ApplicationGridRow>(doc as AppDoc) : null;
  }

  /** The last-used columns are never in $set: only `touchLastUsed` ($max) writes them, so neither loses. */
  async upsert(row: ApplicationRowUpsert): Promise<boolean> {
    const { _id, ...fields } = toDoc<ApplicationRowUpsert>(row);
    return upsertIfNewer(this.collection, _id, fields, { lastUsedAt: null, currentSecretLastUsedAt: null, previousSecretLastUsedAt: null });
  }

  async query(query: CompiledGridQuery): Promise<Page<ApplicationGridRow>> {
    const filter = query.mongo.filter as Filter<AppDoc>;
    const [docs, total] = await Promise.all([
      this.collection.find(filter).sort(query.mongo.sort).skip(query.skip).limit(query.limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    return {
      items: docs.map((doc) => fromDoc<ApplicationGridRow>(doc as AppDoc)),
      total,
      page: query.query.page,
      perPage: query.query.perPage,
    };
  }

  async touchLastUsed(updates: readonly LastUsedUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const operations: AnyBulkWriteOperation<AppDoc>[] = updates.map(({ applicationId, at, currentSecretAt, previousSecretAt }) => ({
      updateOne: {
        filter: { _id: applicationId } as Filter<AppDoc>,
        update: {
          $max: {
            lastUsedAt: at,
            ...(currentSecretAt !== undefined && { currentSecretLastUsedAt: currentSecretAt }),
            ...(previousSecretAt !== undefined && { previousSecretLastUsedAt: previousSecretAt }),
          },
        },
      },
    }));
    await this.collection.bulkWrite(operations, { ordered: false });
  }

  async setOrganizationName(organizationId: string, name: string): Promise<void> {
    await this.collection.updateMany({ organizationId } as Filter<AppDoc>, { $set: { organizationName: name } });
  }

  async setOwnerUsername(userId: string, username: string): Promise<void> {
    await this.collection.updateMany({ ownerUserId: userId } as Filter<AppDoc>, { $set: { ownerUsername: username } });
  }
}
