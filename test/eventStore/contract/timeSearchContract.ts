import { expect } from 'chai';
import type { EventStore, NewEvent } from '../../../src/eventStore/eventStore.js';
import { findRevisionAtTime, streamBounds } from '../../../src/eventStore/findRevisionAtTime.js';
import { metadata, newEvent, unique } from '../eventStoreTestKit.js';

/** Removes a stream's events below a revision, as retention does; absent when an adapter cannot. */
export type TruncateBefore = (streamName: string, revision: number) => Promise<void>;

const minute = (n: number): string => new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString();
/** Events that happened one minute apart: revision n at minute 2n (so odd minutes fall between). */
const timedEvents = (count: number): NewEvent[] =>
  Array.from({ length: count }, (_, n) => ({ ...newEvent('Timed', { n }), metadata: metadata({ occurredAt: minute(2 * n) }) }));

export function timeSearchContract(getStore: () => EventStore, getTruncate: () => TruncateBefore | undefined): void {
  describe('bounded reads and the time search', function () {
    it('reads backwards from a revision past the end, and forwards from a revision past the end', async function () {
      const store = getStore();
      const stream = unique('bounded-');
      await store.appendToStream(stream, timedEvents(4));

      const backwards = await store.readStream(stream, { direction: 'backwards', fromRevision: 99, maxCount: 2 });
      const forwards = await store.readStream(stream, { direction: 'forwards', fromRevision: 99, maxCount: 2 });
      const zero = await store.readStream(stream, { direction: 'backwards', fromRevision: 3, maxCount: 0 });

      expect(backwards.map((e) => e.revision)).to.deep.equal([3, 2]);
      expect(forwards).to.deep.equal([]);
      expect(zero).to.deep.equal([]);
    });

    it('given events one after another, when searched by time, then answers the first at or after it', async function () {
      const store = getStore();
      const stream = unique('timed-');
      await store.appendToStream(stream, timedEvents(9));
      const at = (m: number) => findRevisionAtTime(store, stream, new Date(minute(m)));

      expect(await at(0)).to.equal(0);
      expect(await at(-5)).to.equal(0);
      expect(await at(1)).to.equal(1);
      expect(await at(8)).to.equal(4);
      expect(await at(9)).to.equal(5);
      expect(await at(16)).to.equal(8);
      expect(await at(17)).to.equal(null);
      expect(await findRevisionAtTime(store, unique('none-'), new Date(minute(0)))).to.equal(null);
    });

    it('given a stream truncated by retention, then bounds and the time search start at the first kept event', async function () {
      const truncate = getTruncate();
      if (truncate === undefined) this.skip();
      const store = getStore();
      const stream = unique('truncated-');
      await store.appendToStream(stream, timedEvents(10));

      await truncate(stream, 6);

      expect(await streamBounds(store, stream)).to.deep.equal({ first: 6, last: 9 });
      expect(await findRevisionAtTime(store, stream, new Date(minute(0)))).to.equal(6);
      expect(await findRevisionAtTime(store, stream, new Date(minute(15)))).to.equal(8);
      expect(await findRevisionAtTime(store, stream, new Date(minute(19)))).to.equal(null);
      const backwards = await store.readStream(stream, { direction: 'backwards', fromRevision: 7, maxCount: 5 });
      expect(backwards.map((e) => e.revision)).to.deep.equal([7, 6]);
      const forwards = await store.readStream(stream, { direction: 'forwards', fromRevision: 2, maxCount: 2 });
      expect(forwards.map((e) => e.revision)).to.deep.equal([6, 7]);
    });
  });
}
