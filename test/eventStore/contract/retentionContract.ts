import { expect } from 'chai';
import type { EventStore } from '../../../src/eventStore/eventStore.js';
import type { StoreUnderTest } from '../eventStore.contract.js';
import { events, rejectionOf, unique } from '../eventStoreTestKit.js';

export function retentionContract(getUnderTest: () => StoreUnderTest): void {
  describe('stream max age', function () {
    const store = (): EventStore => getUnderTest().store;

    it('refuses a max age that is not a positive whole number of seconds, or a reserved stream, with a TypeError', async function () {
      const stream = unique('oauthTokens-');
      for (const [name, age] of [[stream, 0], [stream, -1], [stream, 1.5], [stream, Number.NaN], [stream, Number.POSITIVE_INFINITY], ['', 60], ['$$x', 60]] as const) {
        expect(await rejectionOf(store().setStreamMaxAge(name, age)), `${name} ${age}`).to.be.instanceOf(TypeError);
      }
    });

    it('given events older than their stream max age, when the store has aged them out, then reads of the stream and of all no longer return them, and revisions go on', async function () {
      const stream = unique('oauthTokens-');
      const kept = unique('kept-');
      const start = await store().headPosition();
      await store().setStreamMaxAge(stream, 1);
      await store().setStreamMaxAge(stream, 1);
      await store().appendToStream(stream, events(2));
      await store().appendToStream(kept, events(1));

      await getUnderTest().ageOut(3);

      expect(await store().readStream(stream)).to.deep.equal([]);
      const all = await store().readAll({ afterPosition: start, filter: { streamPrefixes: [stream, kept] } });
      expect(all.map((e) => e.streamName)).to.deep.equal([kept]);
      expect((await store().appendToStream(stream, events(1), { expectedRevision: 1 })).nextExpectedRevision).to.equal(2);
      expect((await store().readStream(stream)).map((e) => e.revision)).to.deep.equal([2]);
    });
  });
}
