import Database from 'better-sqlite3';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createTempDir } from '../support/tempDir.js';
import { eventStoreContract } from './eventStore.contract.js';

for (const groupCommit of [true, false]) {
  eventStoreContract(`SQLite (group commit ${groupCommit ? 'on' : 'off'})`, async () => {
    const dir = await createTempDir('tollgate-es-');
    const file = dir.file('events.sqlite');
    const store = createSqliteEventStore({ file, groupCommit });
    return {
      store,
      // What retention does (it deletes by recorded time; here by revision, so the case is exact).
      async truncateBefore(streamName, revision) {
        const db = new Database(file);
        try {
          db.prepare('DELETE FROM events WHERE stream = (SELECT id FROM streams WHERE name = ?) AND revision < ?').run(streamName, revision);
        } finally {
          db.close();
        }
      },
      cleanup: async () => {
        await store.close();
        await dir.remove();
      },
      ageOut: async (seconds) => void (await store.enforceRetention(new Date(Date.now() + seconds * 1000))),
    };
  });
}
