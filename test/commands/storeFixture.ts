import type { EventStore, ReadStreamOptions } from '../../src/eventStore/eventStore.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { isDomainError, type DomainError } from '../../src/domain/shared/domainError.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';

export interface StoreFixture {
  store: EventStore;
  cleanup(): Promise<void>;
}

/** A real SQLite event store in a fresh temporary directory. */
export const openSqliteStore = async (): Promise<StoreFixture> => {
  const dir: TempDir = await createTempDir('tollgate-cmd-');
  const store = createSqliteEventStore({ file: dir.file('events.sqlite') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await dir.remove();
    },
  };
};

/**
 * The real store, except that the first `parties` forward reads of `streamName` wait for
 * each other: every party then decides on the same revision, which forces the append race
 * deterministically instead of hoping for it.
 */
export const withReadBarrier = (store: EventStore, streamName: string, parties: number): EventStore => {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return Object.assign(Object.create(store) as EventStore, {
    readStream: async (name: string, options?: ReadStreamOptions) => {
      const events = await store.readStream(name, options);
      if (name === streamName && options?.fromRevision === undefined && arrived < parties) {
        arrived += 1;
        if (arrived === parties) open();
        await opened;
      }
      return events;
    },
  });
};

/** The DomainError a command fails with (anything else fails the test). */
export const failure = async (promise: Promise<unknown>): Promise<DomainError> => {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};
