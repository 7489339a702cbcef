import { expect } from 'chai';
import type { EventStore, RecordedEvent } from '../../../src/eventStore/eventStore.js';
import { events, unique, waitFor } from '../eventStoreTestKit.js';

export function subscriptionContract(getStore: () => EventStore): void {
  describe('subscribing to all', function () {
    it('catches up, then goes live with no gap and no duplicate while appends run concurrently', async function () {
      const store = getStore();
      const prefix = unique('sub-');
      const streams = Array.from({ length: 4 }, (_, i) => `${prefix}-${i}`);
      const start = await store.headPosition();
      for (const stream of streams) await store.appendToStream(stream, events(10));
      const received: RecordedEvent[] = [];
      let caughtUpAt: number | undefined;

      const appending = (async () => {
        for (let round = 0; round < 10; round += 1) {
          await Promise.all(streams.map((s) => store.appendToStream(s, events(2))));
        }
      })();
      const subscription = store.subscribeToAll({
        afterPosition: start,
        filter: { streamPrefixes: [prefix] },
        onEvent: async (event) => {
          received.push(event);
          if (received.length % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
        },
        onCaughtUp: (position) => (caughtUpAt ??= position),
      });
      await appending;
      await store.appendToStream(streams[0]!, events(1));
      await waitFor(() => received.length >= 121);
      await subscription.stop();

      const stored = await store.readAll({ afterPosition: start, filter: { streamPrefixes: [prefix] } });
      expect(received.map((e) => e.id)).to.deep.equal(stored.map((e) => e.id));
      expect(caughtUpAt).to.be.a('number');
      expect(subscription.position).to.equal(stored.at(-1)!.position);
    });

    it('starts after a checkpoint and delivers only later events, in order', async function () {
      const store = getStore();
      const prefix = unique('chk-');
      await store.appendToStream(`${prefix}-1`, events(6));
      const stored = await store.readAll({ filter: { streamPrefixes: [prefix] } });
      const received: RecordedEvent[] = [];

      const subscription = store.subscribeToAll({
        afterPosition: stored[2]!.position,
        filter: { streamPrefixes: [prefix] },
        onEvent: (event) => void received.push(event),
      });
      await waitFor(() => received.length >= 3);
      await subscription.stop();

      expect(received.map((e) => e.revision)).to.deep.equal([3, 4, 5]);
    });

    it('filters by event type and reports caught-up once live', async function () {
      const store = getStore();
      const wanted = unique('Wanted');
      const start = await store.headPosition();
      const received: RecordedEvent[] = [];
      let caughtUp = false;
      const subscription = store.subscribeToAll({
        afterPosition: start,
        filter: { eventTypes: [wanted] },
        onEvent: (event) => void received.push(event),
        onCaughtUp: () => (caughtUp = true),
      });
      await waitFor(() => caughtUp);

      await store.appendToStream(unique('t-'), [...events(2), ...events(1, wanted)]);
      await waitFor(() => received.length >= 1);
      await subscription.stop();

      expect(received.map((e) => e.type)).to.deep.equal([wanted]);
    });

    it('signals caught-up only after every earlier event was delivered and handled', async function () {
      const store = getStore();
      const prefix = unique('cu-');
      const start = await store.headPosition();
      for (let i = 0; i < 4; i += 1) await store.appendToStream(`${prefix}-${i}`, events(50));
      let handled = 0;
      let handledAtCaughtUp: number | undefined;
      let positionAtCaughtUp: number | undefined;

      const subscription = store.subscribeToAll({
        afterPosition: start,
        filter: { streamPrefixes: [prefix] },
        onEvent: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          handled += 1;
        },
        onCaughtUp: (position) => {
          handledAtCaughtUp = handled;
          positionAtCaughtUp = position;
        },
      });
      await waitFor(() => handledAtCaughtUp !== undefined);
      await subscription.stop();

      const stored = await store.readAll({ afterPosition: start, filter: { streamPrefixes: [prefix] } });
      expect(handledAtCaughtUp).to.equal(200);
      expect(positionAtCaughtUp).to.equal(stored.at(-1)!.position);
    });

    it('gives its position as the last delivered event position, and a resubscription from it repeats nothing', async function () {
      const store = getStore();
      const prefix = unique('resub-');
      const start = await store.headPosition();
      await store.appendToStream(`${prefix}-1`, events(3));
      const first: RecordedEvent[] = [];
      const one = store.subscribeToAll({ afterPosition: start, filter: { streamPrefixes: [prefix] }, onEvent: (e) => void first.push(e) });
      await waitFor(() => first.length === 3);
      await one.stop();
      expect(one.position).to.equal(first.at(-1)!.position);

      await store.appendToStream(`${prefix}-1`, events(2));
      const second: RecordedEvent[] = [];
      const two = store.subscribeToAll({ afterPosition: one.position, filter: { streamPrefixes: [prefix] }, onEvent: (e) => void second.push(e) });
      await waitFor(() => second.length >= 2);
      await two.stop();

      expect(second.map((e) => e.revision)).to.deep.equal([3, 4]);
    });

    it('stops and reports the error when the handler throws', async function () {
      const store = getStore();
      const prefix = unique('err-');
      await store.appendToStream(`${prefix}-1`, events(3));
      let calls = 0;
      let reported: Error | undefined;

      store.subscribeToAll({
        filter: { streamPrefixes: [prefix] },
        onEvent: () => {
          calls += 1;
          if (calls === 2) throw new Error('projection failed');
        },
        onError: (error) => (reported = error),
      });
      await waitFor(() => reported !== undefined);
      await store.appendToStream(`${prefix}-1`, events(1));

      expect(reported!.message).to.equal('projection failed');
      expect(calls).to.equal(2);
    });
  });
}
