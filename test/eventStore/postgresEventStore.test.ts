import { createPostgresEventStore } from '../../src/eventStore/postgres/postgresEventStore.js';
import { createPostgresDatabase, postgresUnavailableReason, type PostgresDatabase } from '../support/postgresDatabase.js';
import { eventStoreContract } from './eventStore.contract.js';

/**
 * The contract on the local PostgreSQL, in a database of this run's own (dropped after).
 * Skipped with a message when PostgreSQL does not answer at 127.0.0.1:5432.
 */
describe('PostgreSQL adapter', function () {
  let database: PostgresDatabase | null = null;
  before(async function () {
    database = await createPostgresDatabase();
    if (database === null) {
      console.log(`      ${postgresUnavailableReason}`);
      this.skip();
    }
  });
  after(async () => database?.drop());

  for (const groupCommit of [true, false]) {
    eventStoreContract(`PostgreSQL (group commit ${groupCommit ? 'on' : 'off'})`, async () => {
      const store = await createPostgresEventStore({ connectionString: database!.url, groupCommit, poolSize: 4 });
      return { store, cleanup: () => store.close() };
    });
  }
});
