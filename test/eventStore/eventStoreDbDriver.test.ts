/**
 * The EventStoreDB adapter on the real driver (@eventstore/db-client) against an in-process
 * gRPC endpoint (test/eventStore/support/fakeEsdbServer.ts — the driver's own generated service
 * on @grpc/grpc-js, over a real socket), and against a closed port. No EventStoreDB server can
 * run here; the contract suite (eventStoreDb.test.ts, EVENTSTORE_URL) stays the judge of the
 * server's behaviour. What these tests show is the driver-facing side: calls are bounded,
 * cancelled and finished; filters and counts are sent to the server; caught-up, resubscription
 * and max age are handled by the adapter.
 */
import { expect } from 'chai';
import { createServer } from 'node:net';
import type { EventStore, RecordedEvent } from '../../src/eventStore/eventStore.js';
import { StoreUnavailableError } from '../../src/eventStore/eventStore.js';
import { createEventStoreDbEventStore } from '../../src/eventStore/eventStoreDbEventStore.js';
import { createStoreFollower } from '../../src/tokens/cache/storeFollower.js';
import { FakeEsdbServer } from './support/fakeEsdbServer.js';
import { newEvent, rejectionOf, waitFor } from './eventStoreTestKit.js';

const padding = 'x'.repeat(1024);

describe('EventStoreDB adapter on the real driver (in-process gRPC endpoint)', function () {
  this.timeout(20_000);
  let server: FakeEsdbServer;
  let url: string;
  let store: EventStore | undefined;
  const open = (options: Parameters<typeof createEventStoreDbEventStore>[1] = {}): EventStore =>
    (store = createEventStoreDbEventStore(url, options));

  beforeEach(async function () {
    server = new FakeEsdbServer();
    url = await server.start();
  });
  afterEach(async function () {
    await store?.close();
    store = undefined;
    await server.stop();
  });

  describe('calls are bounded and finished', function () {
    beforeEach(function () {
      // Big enough (≈400 kB) that a read the client stops consuming is held by flow control.
      for (let i = 0; i < 400; i += 1) server.add(`oauthTokens-a${i % 5}`, 'TokenIssued', { i, padding });
    });

    it('given ping, headPosition and early-stopped reads, when the store closes, then close() resolves and no read is left open', async function () {
      const s = open();
      for (let i = 0; i < 5; i += 1) {
        await s.ping();
        expect(await s.headPosition()).to.equal(server.log.at(-1)!.position);
        expect(await s.readAll({ maxCount: 2 })).to.have.length(2);
        expect(await s.readAll({ afterPosition: server.log[10]!.position, maxCount: 1 })).to.have.length(1);
      }

      await waitFor(() => server.openReads === 0);
      await s.close();
      store = undefined;
      expect(server.openReads).to.equal(0);
    });

    it('asks the server for the count it needs: headPosition reads one event backwards from the end', async function () {
      const s = open();
      await s.headPosition();

      const head = server.reads.at(-1)!;
      expect(head).to.deep.include({ count: '1', readDirection: 1 });
      expect(head.all?.end).to.not.equal(undefined);
      expect(server.eventsSent).to.equal(1);
    });

    it('given a subscription, when the store closes, then the subscription stops and close() resolves', async function () {
      const s = open();
      let received = 0;
      s.subscribeToAll({ onEvent: () => void (received += 1) });
      await waitFor(() => received >= 10);

      await s.close();
      store = undefined;
      await waitFor(() => server.openReads === 0);
    });
  });

  describe('server-side filters', function () {
    it('given a token storm, when a follower catches up for an unknown client, then only matching events cross the network', async function () {
      server.add('oauthApplication-a1', 'ApplicationCreated', { applicationId: 'a1' });
      for (let i = 0; i < 300; i += 1) server.add('oauthTokens-a1', 'TokenIssued', { i });
      server.add('oauthApplication-a2', 'ApplicationCreated', { applicationId: 'a2' });
      server.add('oauthTokens-a1', 'TokenRevoked', { jti: 'j1' });
      const s = open();
      const applied: RecordedEvent[] = [];
      const follower = createStoreFollower({
        store: s,
        filter: { streamPrefixes: ['oauthApplication-'], eventTypes: ['ApplicationCreated'] },
        apply: (event) => void applied.push(event),
      });
      const revocations: RecordedEvent[] = [];
      const revocationFollower = createStoreFollower({
        store: s,
        filter: { streamPrefixes: ['oauthTokens-'], eventTypes: ['TokenRevoked'] },
        apply: (event) => void revocations.push(event),
      });
      const sentBefore = server.eventsSent;

      await follower.catchUp();
      await revocationFollower.catchUp();

      expect(applied.map((e) => e.streamName)).to.deep.equal(['oauthApplication-a1', 'oauthApplication-a2']);
      expect(revocations.map((e) => e.type)).to.deep.equal(['TokenRevoked']);
      expect(server.eventsSent - sentBefore).to.equal(3);
      const readsOfAll = server.reads.filter((r) => r.all !== undefined);
      expect(readsOfAll.at(-1)!.filter?.eventType?.regex).to.equal('^(?:TokenRevoked)$');
    });

    it('reads strictly after a position, at most maxCount, from real positions only, without system events', async function () {
      const mine = Array.from({ length: 6 }, (_, i) => server.add('order-1', 'ThingHappened', { i }));
      server.add('$$order-1', '$metadata', { $maxAge: 3600 });
      server.add('$stats-1', '$statsCollected', {});
      const s = open();

      const after = await s.readAll({ afterPosition: mine[1]!.position, maxCount: 3 });
      const everything = await s.readAll();

      expect(after.map((e) => e.position)).to.deep.equal([mine[2]!.position, mine[3]!.position, mine[4]!.position]);
      expect(everything.map((e) => e.streamName)).to.deep.equal(Array(6).fill('order-1'));
      const positions = new Set(server.log.map((e) => e.position));
      const starts = server.reads.map((r) => r.all?.position?.commitPosition).filter((p) => p !== undefined);
      expect(starts.every((p) => positions.has(Number(p)))).to.equal(true);
    });
  });

  describe('appends', function () {
    it('answers with the event position, or with the head when the server reports none: never a made-up one', async function () {
      const s = open();
      const first = await s.appendToStream('order-1', [newEvent()]);
      expect(first.position).to.equal(server.log.at(-1)!.position);

      server.appendWithoutPosition = true;
      const second = await s.appendToStream('order-1', [newEvent(), newEvent()], { expectedRevision: 0 });

      expect(second).to.deep.equal({ nextExpectedRevision: 2, position: server.log.at(-1)!.position });
    });
  });

  describe('subscriptions', function () {
    it('given 200 events, when caught-up is signalled, then every one of them has been handled', async function () {
      for (let i = 0; i < 200; i += 1) server.add('order-1', 'ThingHappened', { i });
      const s = open();
      let handled = 0;
      let handledAtCaughtUp: number | undefined;
      s.subscribeToAll({
        onEvent: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          handled += 1;
        },
        onCaughtUp: () => (handledAtCaughtUp = handled),
      });

      await waitFor(() => handledAtCaughtUp !== undefined);

      expect(handledAtCaughtUp).to.equal(200);
    });

    it('given a subscription the server ends without an error, then it resubscribes from the last delivered position and goes on', async function () {
      const first = Array.from({ length: 3 }, (_, i) => server.add('order-1', 'ThingHappened', { i }));
      server.subscriptionEnd = 'end-after-caught-up';
      const s = open({ resubscribeDelayMs: { initial: 5, max: 20 } });
      const received: number[] = [];
      const errors: Error[] = [];
      let caughtUp = 0;
      s.subscribeToAll({
        onEvent: (event) => void received.push(event.position),
        onCaughtUp: () => (caughtUp += 1),
        onError: (error) => errors.push(error),
      });
      await waitFor(() => received.length === 3);
      const subscriptionsBefore = server.reads.filter((r) => r.subscription !== undefined).length;
      await waitFor(() => server.reads.filter((r) => r.subscription !== undefined).length > subscriptionsBefore);
      const later = server.add('order-1', 'ThingHappened', { i: 3 });

      await waitFor(() => received.length === 4);

      expect(received).to.deep.equal([...first.map((e) => e.position), later.position]);
      const resubscription = server.reads.filter((r) => r.subscription !== undefined).at(-1)!;
      expect(Number(resubscription.all?.position?.commitPosition)).to.equal(first.at(-1)!.position);
      expect(errors).to.deep.equal([]);
      expect(caughtUp).to.equal(1);
    });
  });

  describe('stream max age', function () {
    it('writes $maxAge by read-modify-write: other metadata kept, with the metastream revision', async function () {
      server.add('$$oauthTokens-a1', '$metadata', { $maxCount: 50, $acl: { $r: '$admins' }, owner: 'ops' });
      const s = open();

      await s.setStreamMaxAge('oauthTokens-a1', 3600);

      const written = server.log.filter((e) => e.streamName === '$$oauthTokens-a1');
      expect(written).to.have.length(2);
      expect(written[1]!.data).to.deep.equal({ $maxCount: 50, $acl: { $r: '$admins' }, owner: 'ops', $maxAge: 3600 });
    });

    it('writes nothing when the max age is already set, and refuses bad input with a TypeError', async function () {
      const s = open();
      await s.setStreamMaxAge('oauthTokens-a1', 60);
      await s.setStreamMaxAge('oauthTokens-a1', 60);
      expect(server.log.filter((e) => e.streamName === '$$oauthTokens-a1')).to.have.length(1);

      for (const [stream, age] of [['oauthTokens-a1', 0], ['oauthTokens-a1', -5], ['oauthTokens-a1', 1.5], ['oauthTokens-a1', Number.NaN], ['', 60], ['$$x', 60]] as const) {
        expect(await rejectionOf(s.setStreamMaxAge(stream, age))).to.be.instanceOf(TypeError);
      }
      expect(server.log.filter((e) => e.streamName.startsWith('$$'))).to.have.length(1);
    });

    it('hides events older than their stream max age from reads of all and from subscriptions', async function () {
      const now = Date.parse('2026-01-01T12:00:00Z');
      server.add('oauthTokens-a1', 'TokenIssued', { n: 'old' }, { createdMs: now - 2 * 3600_000 });
      server.add('oauthTokens-a2', 'TokenIssued', { n: 'kept, no max age' }, { createdMs: now - 2 * 3600_000 });
      server.add('oauthTokens-a1', 'TokenIssued', { n: 'fresh' }, { createdMs: now - 60_000 });
      server.add('$$oauthTokens-a1', '$metadata', { $maxAge: 3600 });
      const s = open({ now: () => new Date(now) });

      const read = await s.readAll({ filter: { streamPrefixes: ['oauthTokens-'] } });
      const delivered: unknown[] = [];
      let caughtUp = false;
      s.subscribeToAll({ filter: { streamPrefixes: ['oauthTokens-'] }, onEvent: (e) => void delivered.push(e.data), onCaughtUp: () => (caughtUp = true) });
      await waitFor(() => caughtUp);

      expect(read.map((e) => e.data)).to.deep.equal([{ n: 'kept, no max age' }, { n: 'fresh' }]);
      expect(delivered).to.deep.equal([{ n: 'kept, no max age' }, { n: 'fresh' }]);
    });

    it('reads no metadata for streams that cannot have a max age', async function () {
      for (let i = 0; i < 20; i += 1) server.add(`oauthApplication-a${i}`, 'ApplicationCreated', { i });
      server.add('oauthTokens-a1', 'TokenIssued', {});
      const s = open({ maxAgeStreamPrefixes: ['oauthTokens-'] });

      expect(await s.readAll()).to.have.length(21);

      const metadataReads = server.reads.filter((r) => r.stream !== undefined);
      expect(metadataReads).to.have.length(1);
    });
  });
});

describe('EventStoreDB adapter against a closed port', function () {
  this.timeout(20_000);
  let url: string;
  before(async function () {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    url = `esdb://127.0.0.1:${port}?tls=false&defaultDeadline=2000`;
  });

  it('fails an append, a read, ping and headPosition with StoreUnavailableError (503), and closes', async function () {
    const store = createEventStoreDbEventStore(url);
    try {
      for (const attempt of [
        store.appendToStream('order-1', [newEvent()]),
        store.readStream('order-1'),
        store.readAll({ maxCount: 1 }),
        store.ping(),
        store.headPosition(),
      ]) {
        const error = await rejectionOf(attempt);
        expect(error, String(error)).to.be.instanceOf(StoreUnavailableError);
      }
    } finally {
      await store.close();
    }
  });

  it('fails when cluster discovery gives up (esdb+discover) with StoreUnavailableError', async function () {
    const port = new URL(url.replace('esdb://', 'http://')).port;
    const store = createEventStoreDbEventStore(`esdb+discover://127.0.0.1:${port}?tls=false&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=500`);
    try {
      const error = await rejectionOf(store.appendToStream('order-1', [newEvent()]));
      expect(error, String(error)).to.be.instanceOf(StoreUnavailableError);
      expect((error as Error).message).to.equal('EventStoreDB cluster discovery failed');
      expect(await rejectionOf(store.ping())).to.be.instanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });

  it('reports a subscription that cannot connect through onError as StoreUnavailableError', async function () {
    const store = createEventStoreDbEventStore(url);
    let reported: Error | undefined;
    store.subscribeToAll({ onEvent: () => undefined, onError: (error) => (reported = error) });
    await waitFor(() => reported !== undefined);
    expect(reported).to.be.instanceOf(StoreUnavailableError);
    await store.close();
  });
});
