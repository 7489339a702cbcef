import { expect } from 'chai';
import type { EventStore } from '../../../src/eventStore/eventStore.js';
import { events, newEvent, unique } from '../eventStoreTestKit.js';

export function readContract(getStore: () => EventStore): void {
  describe('reading', function () {
    it('reads an unknown stream as an empty array', async function () {
      expect(await getStore().readStream(unique('nothing-'))).to.deep.equal([]);
    });

    it('reads a stream backwards, from a revision, and at most maxCount events', async function () {
      const store = getStore();
      const stream = unique('order-');
      await store.appendToStream(stream, events(5));
      const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
        (await store.readStream(stream, options)).map((e) => e.revision);

      expect(await revisions({ direction: 'backwards' })).to.deep.equal([4, 3, 2, 1, 0]);
      expect(await revisions({ fromRevision: 2 })).to.deep.equal([2, 3, 4]);
      expect(await revisions({ fromRevision: 1, maxCount: 2 })).to.deep.equal([1, 2]);
      expect(await revisions({ direction: 'backwards', fromRevision: 3, maxCount: 2 })).to.deep.equal([3, 2]);
      expect(await revisions({ direction: 'backwards', maxCount: 1 })).to.deep.equal([4]);
    });

    it('gives every event a strictly increasing global position, across streams, in append order', async function () {
      const store = getStore();
      const [a, b] = [unique('order-'), unique('order-')];
      const start = await store.headPosition();
      const first = await store.appendToStream(a, events(2));
      const second = await store.appendToStream(b, events(2));
      const third = await store.appendToStream(a, events(1));

      const all = (await store.readAll({ afterPosition: start })).filter((e) => [a, b].includes(e.streamName));

      expect(all.map((e) => `${e.streamName === a ? 'a' : 'b'}${e.revision}`)).to.deep.equal(['a0', 'a1', 'b0', 'b1', 'a2']);
      const positions = all.map((e) => e.position);
      expect(positions).to.deep.equal([...positions].sort((x, y) => x - y));
      expect(new Set(positions).size).to.equal(positions.length);
      expect(first.position).to.be.below(second.position);
      expect(second.position).to.be.below(third.position);
      expect(await store.headPosition()).to.be.at.least(third.position);
    });

    it('reads all events strictly after a position, at most maxCount', async function () {
      const store = getStore();
      const prefix = unique('after-');
      await store.appendToStream(`${prefix}-1`, events(4));
      const mine = await store.readAll({ filter: { streamPrefixes: [prefix] } });

      const after = await store.readAll({ afterPosition: mine[1]!.position, maxCount: 1, filter: { streamPrefixes: [prefix] } });

      expect(after.map((e) => e.id)).to.deep.equal([mine[2]!.id]);
    });

    it('filters all events by stream prefix and by event type', async function () {
      const store = getStore();
      const [p1, p2] = [unique('pa'), unique('pb')];
      const [typeX, typeY] = [unique('X'), unique('Y')];
      const start = await store.headPosition();
      await store.appendToStream(`${p1}-1`, [newEvent(typeX), newEvent(typeY)]);
      await store.appendToStream(`${p2}-1`, [newEvent(typeX)]);
      await store.appendToStream(unique('other-'), [newEvent(typeX), newEvent(typeY)]);

      const byPrefix = await store.readAll({ afterPosition: start, filter: { streamPrefixes: [p1, p2] } });
      const byType = await store.readAll({ afterPosition: start, filter: { eventTypes: [typeY] } });
      const both = await store.readAll({ afterPosition: start, filter: { streamPrefixes: [p1], eventTypes: [typeX] } });

      expect(byPrefix.map((e) => `${e.streamName.slice(0, 2)}:${e.type === typeX ? 'X' : 'Y'}`)).to.deep.equal([
        'pa:X', 'pa:Y', 'pb:X',
      ]);
      expect(byType).to.have.length(2);
      expect(byType.every((e) => e.type === typeY)).to.equal(true);
      expect(both.map((e) => [e.streamName, e.type])).to.deep.equal([[`${p1}-1`, typeX]]);
    });

    it('hands out only real event positions: appends, head and events agree, and reading after each gives exactly the later events', async function () {
      const store = getStore();
      const prefix = unique('pos-');
      const start = await store.headPosition();
      const appended = [];
      for (let i = 0; i < 4; i += 1) appended.push(await store.appendToStream(`${prefix}-${i % 2}`, events(1 + (i % 2))));
      const mine = await store.readAll({ afterPosition: start, filter: { streamPrefixes: [prefix] } });
      const positions = mine.map((e) => e.position);

      for (const result of appended) expect(positions).to.include(result.position);
      expect(await store.headPosition()).to.be.at.least(positions.at(-1)!);
      for (const [i, position] of positions.entries()) {
        const after = await store.readAll({ afterPosition: position, filter: { streamPrefixes: [prefix] } });
        expect(after.map((e) => e.id)).to.deep.equal(mine.slice(i + 1).map((e) => e.id));
      }
      expect(await store.readAll({ afterPosition: positions.at(-1)!, filter: { streamPrefixes: [prefix] } })).to.deep.equal([]);
    });

    it('reads after the head position as nothing, and after 0 from the first event', async function () {
      const store = getStore();
      const prefix = unique('head-');
      await store.appendToStream(`${prefix}-1`, events(2));
      const head = await store.headPosition();

      expect(await store.readAll({ afterPosition: head, maxCount: 5 })).to.deep.equal([]);
      expect((await store.readAll({ afterPosition: 0, maxCount: 1 }))[0]!.position).to.be.above(0);
    });

    it('answers ping when reachable', async function () {
      await getStore().ping();
    });
  });
}
