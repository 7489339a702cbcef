import { EventStoreDBClient } from '@eventstore/db-client';
import { createEventStoreDbEventStore } from '../../src/eventStore/eventStoreDbEventStore.js';
import { eventStoreContract } from './eventStore.contract.js';

/**
 * Runs the contract against a real EventStoreDB when EVENTSTORE_URL is set, e.g.
 * `EVENTSTORE_URL=esdb://localhost:2113?tls=false npx mocha test/eventStore/eventStoreDb.test.ts`.
 * Without it every test shows as pending.
 */
const url = process.env['EVENTSTORE_URL'];

describe('EventStoreDB adapter', function () {
  before(function () {
    if (!url) this.skip();
  });

  eventStoreContract('EventStoreDB', async () => {
    const store = createEventStoreDbEventStore(url!);
    const client = EventStoreDBClient.connectionString(url!);
    return {
      store,
      // The server's clock decides what has aged out: wait for real.
      ageOut: (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000)),
      // `$tb` hides the events below a revision, as `$maxAge` hides old ones.
      truncateBefore: async (streamName, revision) => void (await client.setStreamMetadata(streamName, { truncateBefore: revision })),
      cleanup: async () => {
        await client.dispose();
        await store.close();
      },
    };
  });
});
