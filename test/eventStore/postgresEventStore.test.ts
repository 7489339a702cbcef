import { createPostgresEventStore } from '../../src/eventStore/postgres/postgresEventStore.js';
import { usePostgresDatabase } from '../support/postgresDatabase.js';
import { eventStoreContract } from './eventStore.contract.js';

/**
 * The contract on the local PostgreSQL, in a database of this run's own (dropped after).
 * Skipped with a message when PostgreSQL does not answer at 127.0.0.1:5432.
 */
describe('PostgreSQL adapter', function () {
  const database = usePostgresDatabase();

  for (const groupCommit of [true, false]) {
    eventStoreContract(`PostgreSQL (group commit ${groupCommit ? 'on' : 'off'})`, async () => {
      const store = await createPostgresEventStore({ connectionString: database().url, groupCommit, poolSize: 4 });
      return {
        store,
        cleanup: () => store.close(),
        ageOut: async (seconds) => void (await store.enforceRetention(new Date(Date.now() + seconds * 1000))),
      };
    });
  }
});
