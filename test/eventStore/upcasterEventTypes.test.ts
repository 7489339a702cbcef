import { expect } from 'chai';
import type { RecordedEvent } from '../../src/eventStore/eventStore.js';
import { createUpcaster, upcastWithDefaults, type Upcaster } from '../../src/eventStore/upcasters.js';

/** An event whose data and metadata must not be read: reading either throws. */
const untouchable = (type: string): RecordedEvent =>
  ({
    id: 'e1', type, streamName: 'oauthTokens-a1', revision: 0, position: 1, recordedAt: '2025-01-01T00:00:00.000Z',
    get data(): unknown {
      throw new Error('data was read');
    },
    get metadata(): RecordedEvent['metadata'] {
      throw new Error('metadata was read');
    },
  }) as RecordedEvent;

describe('upcasters: events of types without an upcaster', function () {
  it('passes them through without reading metadata or data (the token path reads only the envelope)', function () {
    // given an event of a type no upcaster is registered for
    const event = untouchable('TokenRevoked');

    // when it is upcast with the defaults, then it is returned as it is, untouched
    expect(upcastWithDefaults(event)).to.equal(event);
  });

  it('still reads the schema version of a type that has an upcaster', function () {
    // given an upcaster for ApplicationCreated and an event of that type
    const upcaster: Upcaster = { eventType: 'ApplicationCreated', fromVersion: 1, upcast: (e) => e };

    // when it is upcast, then its metadata is read
    expect(() => createUpcaster([upcaster])(untouchable('ApplicationCreated'))).to.throw('metadata was read');
  });
});
