import { expect } from 'chai';
import type { RecordedEvent } from '../../src/eventStore/eventStore.js';
import { createUpcaster, upcastWithDefaults, type Upcaster } from '../../src/eventStore/upcasters.js';
import { metadata } from './eventStoreTestKit.js';

const recorded = (type: string, data: unknown, schemaVersion?: number): RecordedEvent => ({
  id: 'e1', type, data, streamName: 's', revision: 0, position: 1, recordedAt: '2025-01-01T00:00:00.000Z',
  metadata: { ...metadata(), ...(schemaVersion === undefined ? {} : { schemaVersion }) },
});

describe('upcasters', function () {
  const v1Data = {
    applicationId: 'a1', clientId: 'c1', secretHash: 'h', name: 'n', organizationId: 'o1',
    ownerUserId: null, active: false, grant: 'password', allApis: false, apis: ['api1'],
  };

  it('turns ApplicationCreated v1 (single grant, no frontend/scopes/url/description) into the current shape', function () {
    const event = upcastWithDefaults(recorded('ApplicationCreated', v1Data));

    const { grant: _grant, ...unchanged } = v1Data;
    expect(event.data).to.deep.equal({
      ...unchanged, grants: ['password'], frontend: false, scopes: [], applicationUrl: null, description: null,
    });
    expect(event.metadata.schemaVersion).to.equal(2);
  });

  it('leaves an ApplicationCreated already in the current shape untouched, marker or not', function () {
    const current = recorded('ApplicationCreated', { ...v1Data, grant: undefined, grants: ['password'], frontend: true });

    expect(upcastWithDefaults(current)).to.equal(current);
  });

  it('leaves event types without upcasters untouched', function () {
    const unknown = recorded('NeverHeardOfIt', { grant: 'x' });

    expect(upcastWithDefaults(unknown)).to.equal(unknown);
  });

  it('chains upcasters by schema version until none matches', function () {
    const step = (from: number, field: string): Upcaster => ({
      eventType: 'Thing',
      fromVersion: from,
      upcast: (e) => ({ ...e, data: { ...(e.data as object), [field]: true }, metadata: { ...e.metadata, schemaVersion: from + 1 } }),
    });
    const upcast = createUpcaster([step(1, 'v2'), step(2, 'v3')]);

    const event = upcast(recorded('Thing', {}));

    expect([event.data, event.metadata.schemaVersion]).to.deep.equal([{ v2: true, v3: true }, 3]);
    expect(upcast(recorded('Thing', {}, 3)).data).to.deep.equal({});
  });
});
