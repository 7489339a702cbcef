import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createTempDir } from '../support/tempDir.js';
import { eventStoreContract } from './eventStore.contract.js';

for (const groupCommit of [true, false]) {
  eventStoreContract(`SQLite (group commit ${groupCommit ? 'on' : 'off'})`, async () => {
    const dir = await createTempDir('tollgate-es-');
    const store = createSqliteEventStore({ file: dir.file('events.sqlite'), groupCommit });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dir.remove();
      },
      ageOut: async (seconds) => void (await store.enforceRetention(new Date(Date.now() + seconds * 1000))),
    };
  });
}
