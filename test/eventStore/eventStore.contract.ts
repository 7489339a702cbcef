import type { EventStore } from '../../src/eventStore/eventStore.js';
import { appendContract } from './contract/appendContract.js';
import { readContract } from './contract/readContract.js';
import { retentionContract } from './contract/retentionContract.js';
import { subscriptionContract } from './contract/subscriptionContract.js';
import { timeSearchContract, type TruncateBefore } from './contract/timeSearchContract.js';

export interface StoreUnderTest {
  store: EventStore;
  cleanup(): Promise<void>;
  /**
   * Lets `seconds` pass for max ages and runs whatever retention the store needs before reads
   * stop returning aged-out events (SQLite: `enforceRetention` that much later; a server
   * whose clock cannot be moved: wait that long).
   */
  ageOut(seconds: number): Promise<void>;
  /** Removes a stream's events below a revision, as retention does (the truncated-stream cases skip without it). */
  truncateBefore?: TruncateBefore;
}

/**
 * The behaviour every EventStore adapter must have. Tests use unique stream names and read
 * from the head position they start at, so they also hold on a shared, non-empty store.
 */
export function eventStoreContract(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`EventStore contract: ${name}`, function () {
    let underTest: StoreUnderTest | undefined;
    const getStore = (): EventStore => {
      if (underTest === undefined) throw new Error('store not created');
      return underTest.store;
    };

    beforeEach(async function () {
      underTest = await factory();
    });
    afterEach(async function () {
      await underTest?.cleanup();
      underTest = undefined;
    });

    appendContract(getStore);
    readContract(getStore);
    subscriptionContract(getStore);
    retentionContract(() => {
      if (underTest === undefined) throw new Error('store not created');
      return underTest;
    });
    timeSearchContract(getStore, () => underTest?.truncateBefore);
  });
}
