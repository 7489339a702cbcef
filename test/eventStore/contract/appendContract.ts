import { expect } from 'chai';
import {
  ConcurrencyError,
  type EventStore,
  type ExpectedRevision,
} from '../../../src/eventStore/eventStore.js';
import { events, newEvent, rejectionOf, unique } from '../eventStoreTestKit.js';

export function appendContract(getStore: () => EventStore): void {
  describe('appending', function () {
    it('given a new stream, when events are appended, then they read back with ids, data and metadata', async function () {
      const store = getStore();
      const stream = unique('order-');
      const written = events(3);

      const result = await store.appendToStream(stream, written, { expectedRevision: 'no_stream' });
      const read = await store.readStream(stream);

      expect(result.nextExpectedRevision).to.equal(2);
      expect(read.map((e) => [e.id, e.type, e.data, e.metadata])).to.deep.equal(
        written.map((e) => [e.id, e.type, e.data, e.metadata]),
      );
      expect(read.map((e) => e.revision)).to.deep.equal([0, 1, 2]);
      expect(read.every((e) => e.streamName === stream)).to.equal(true);
      expect(read[2]!.position).to.equal(result.position);
      expect(new Date(read[0]!.recordedAt).toISOString()).to.equal(read[0]!.recordedAt);
    });

    it('keeps optional metadata fields and nested data exactly', async function () {
      const store = getStore();
      const stream = unique('order-');
      const event = newEvent('Nested', { list: [1, 'two', null], deep: { flag: false } });
      event.metadata = { ...event.metadata, causationId: 'c-1', ip: '10.0.0.1', userAgent: 'ua/1', schemaVersion: 3 };

      await store.appendToStream(stream, [event]);

      const [read] = await store.readStream(stream);
      expect(read!.data).to.deep.equal(event.data);
      expect(read!.metadata).to.deep.equal(event.metadata);
    });

    it('stores and returns an event type the code does not know, untouched', async function () {
      const store = getStore();
      const stream = unique('order-');
      const event = newEvent('SomethingFromTheFuture', { whatever: ['x'] });

      await store.appendToStream(stream, [event]);

      const [read] = await store.readStream(stream);
      expect([read!.type, read!.data]).to.deep.equal(['SomethingFromTheFuture', { whatever: ['x'] }]);
    });

    it('upcasts an ApplicationCreated of schema version 1 when reading', async function () {
      const store = getStore();
      const stream = unique('oauthApplication-');
      const legacy = newEvent('ApplicationCreated', {
        applicationId: 'a1', clientId: 'c1', secretHash: 'h', name: 'Old app', organizationId: 'o1',
        ownerUserId: 'u1', active: true, grant: 'client_credentials', allApis: true, apis: [],
      });

      const start = await store.headPosition();
      await store.appendToStream(stream, [legacy]);

      const [fromStream] = await store.readStream(stream);
      const [fromAll] = await store.readAll({ afterPosition: start, maxCount: 1, filter: { streamPrefixes: [stream] } });
      for (const read of [fromStream!, fromAll!]) {
        expect(read.data).to.deep.include({ grants: ['client_credentials'], frontend: false, scopes: [] });
        expect(read.data).to.deep.include({ applicationUrl: null, description: null });
        expect(read.data).not.to.have.property('grant');
        expect(read.metadata.schemaVersion).to.equal(2);
      }
    });

    const conflicts: Array<[string, ExpectedRevision, boolean, number | 'no_stream']> = [
      ['no_stream on an existing stream', 'no_stream', true, 1],
      ['stream_exists on a missing stream', 'stream_exists', false, 'no_stream'],
      ['a revision behind the head', 0, true, 1],
      ['a revision on a missing stream', 0, false, 'no_stream'],
    ];
    for (const [label, expectedRevision, exists, actual] of conflicts) {
      it(`rejects ${label} with a ConcurrencyError and writes nothing`, async function () {
        const store = getStore();
        const stream = unique('order-');
        if (exists) await store.appendToStream(stream, events(2));

        const error = await rejectionOf(store.appendToStream(stream, events(1), { expectedRevision }));

        expect(error).to.be.instanceOf(ConcurrencyError);
        expect(error).to.include({ streamName: stream, expected: expectedRevision, actual });
        expect(await store.readStream(stream)).to.have.length(exists ? 2 : 0);
      });
    }

    const accepted: Array<[string, ExpectedRevision, boolean]> = [
      ['no_stream on a missing stream', 'no_stream', false],
      ['stream_exists on an existing stream', 'stream_exists', true],
      ['the exact head revision', 1, true],
      ['any on a missing stream', 'any', false],
      ['any on an existing stream', 'any', true],
    ];
    for (const [label, expectedRevision, exists] of accepted) {
      it(`accepts ${label}`, async function () {
        const store = getStore();
        const stream = unique('order-');
        if (exists) await store.appendToStream(stream, events(2));

        const result = await store.appendToStream(stream, events(1), { expectedRevision });

        expect(result.nextExpectedRevision).to.equal(exists ? 2 : 0);
      });
    }

    it('lets exactly one of many concurrent appenders with the same expected revision win', async function () {
      const store = getStore();
      const stream = unique('order-');
      await store.appendToStream(stream, events(1));

      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => store.appendToStream(stream, events(1), { expectedRevision: 0 })),
      );

      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected.every((r) => r.reason instanceof ConcurrencyError)).to.equal(true);
      expect(await store.readStream(stream)).to.have.length(2);
    });

    it('fails only the append with a wrong expected revision among many concurrent ones', async function () {
      const store = getStore();
      const streams = Array.from({ length: 20 }, () => unique('order-'));
      await Promise.all(streams.map((s) => store.appendToStream(s, events(1))));

      const results = await Promise.allSettled(
        streams.map((s, i) => store.appendToStream(s, events(2), { expectedRevision: i === 7 ? 5 : 0 })),
      );

      expect(results.map((r) => r.status)).to.deep.equal(
        streams.map((_, i) => (i === 7 ? 'rejected' : 'fulfilled')),
      );
      expect((results[7] as PromiseRejectedResult).reason).to.be.instanceOf(ConcurrencyError);
      const lengths = await Promise.all(streams.map(async (s) => (await store.readStream(s)).length));
      expect(lengths).to.deep.equal(streams.map((_, i) => (i === 7 ? 1 : 3)));
    });

    it('rejects bad input: no events, an empty stream name, an invalid expected revision', async function () {
      const store = getStore();
      const bad = [
        store.appendToStream(unique('order-'), []),
        store.appendToStream('', events(1)),
        store.appendToStream(unique('order-'), events(1), { expectedRevision: -3 }),
      ];
      for (const attempt of bad) expect(await rejectionOf(attempt)).to.be.instanceOf(TypeError);
    });
  });
}
