/**
 * The MongoDB read model (`MONGO_URL`): collections applications, users, organizations and
 * checkpoints in one database, so a checkpoint lives next to the documents it describes.
 */
import { MongoClient, type Collection, type Db } from 'mongodb';
import { databaseNameOf } from './mongoDatabaseName.js';
import type { ApplicationGridRow, CheckpointStore, OrganizationRow, ReadModel, UserRow } from '../readModel.js';
import { MongoApplications } from './mongoApplications.js';
import { MongoDirectory } from './mongoDirectory.js';
import type { Doc } from './mongoDocuments.js';
import { COLLECTIONS, ensureIndexes } from './mongoIndexes.js';

export interface MongoReadModelOptions {
  url: string;
  /** Default: the database named in the URL, else `tollgate`. */
  dbName?: string;
}

interface CheckpointDoc {
  _id: string;
  position: number;
  updatedAt: Date;
}

function checkpointStore(collection: Collection<CheckpointDoc>): CheckpointStore {
  return {
    async load(id) {
      const doc = await collection.findOne({ _id: id });
      return doc ? doc.position : null;
    },
    async store(id, position) {
      await collection.updateOne({ _id: id }, { $set: { position, updatedAt: new Date() } }, { upsert: true });
    },
  };
}

export async function createMongoReadModel(options: MongoReadModelOptions): Promise<ReadModel> {
  const client = new MongoClient(options.url, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    const db: Db = client.db(options.dbName ?? databaseNameOf(options.url) ?? 'tollgate');
    await ensureIndexes(db);
    const collections = [COLLECTIONS.applications, COLLECTIONS.users, COLLECTIONS.organizations, COLLECTIONS.checkpoints];
    return {
      kind: 'mongodb',
      applications: new MongoApplications(db.collection<Doc<ApplicationGridRow>>(COLLECTIONS.applications)),
      users: new MongoDirectory<UserRow>(db.collection<Doc<UserRow>>(COLLECTIONS.users)),
      organizations: new MongoDirectory<OrganizationRow>(db.collection<Doc<OrganizationRow>>(COLLECTIONS.organizations)),
      checkpoints: checkpointStore(db.collection<CheckpointDoc>(COLLECTIONS.checkpoints)),
      async clear() {
        await Promise.all(collections.map((name) => db.collection(name).deleteMany({})));
      },
      async ping() {
        await db.command({ ping: 1 });
      },
      async close() {
        await client.close();
      },
    };
  } catch (error) {
    await client.close();
    throw error;
  }
}
