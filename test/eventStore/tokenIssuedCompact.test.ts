import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EventMetadata, RecordedEvent } from '../../src/eventStore/eventStore.js';
import { upcastWithDefaults } from '../../src/eventStore/upcasters.js';
import { compactTokenIssued, expandTokenIssued } from '../../src/eventStore/upcasters/tokenIssuedCompact.js';
import type { TokenIssued } from '../../src/domain/tokens/tokenEvents.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createTempDir } from '../support/tempDir.js';

const applicationId = randomUUID();
const streamName = `oauthTokens-${applicationId}`;
const issuer = 'https://tollgate.example.com';

const fullData = (overrides: Partial<TokenIssued['data']> = {}): TokenIssued['data'] => ({
  jti: randomUUID(),
  applicationId,
  clientId: 'Vq0kLr2c3Zb8m1QxYt7nP4sW9eHfJgAa',
  grant: 'client_credentials',
  sub: randomUUID(),
  aud: [`${issuer}/admin`, `${issuer}/api`, `${issuer}/api/email`, `${issuer}/scim/v2`],
  scope: 'orders:read orders:write',
  exp: 1_764_615_654 + 300,
  ...overrides,
});
const fullMetadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: 'client:Vq0kLr2c3Zb8m1QxYt7nP4sW9eHfJgAa',
  occurredAt: '2025-12-01T19:00:54.123Z',
  correlationId: randomUUID(),
  ip: '203.0.113.42',
  userAgent: 'python-requests/2.32.3',
  ...overrides,
});

const roundTrip = (data: TokenIssued['data'], metadata: EventMetadata) => {
  const compact = compactTokenIssued(data, metadata);
  // what a store keeps is JSON
  const stored = JSON.parse(JSON.stringify(compact)) as typeof compact;
  return expandTokenIssued(streamName, stored.data, stored.metadata);
};

describe('TokenIssued version 2 (compact stored form)', function () {
  it('gives back exactly what the auditor needs: token, time, client, user, grant, scopes, audience, expiry, IP, user agent, correlation id', function () {
    // given a token's full TokenIssued data and metadata
    const data = fullData();
    const metadata = fullMetadata();

    // when it is stored compact and read back
    const back = roundTrip(data, metadata);

    // then nothing is lost, and the metadata says it was stored as version 2
    expect(back.data).to.deep.equal(data);
    expect(back.metadata).to.deep.equal({ ...metadata, schemaVersion: 2 });
  });

  it('given the metadata every token event writes (actorKind client, via its client id), then both are implied, not stored, and read back', function () {
    // given what the token audit writes
    const data = fullData();
    const metadata = fullMetadata({ actorKind: 'client', via: data.clientId });

    // when it is stored compact
    const compact = compactTokenIssued(data, metadata);

    // then neither key is stored, and both come back; another via or kind is kept as written
    expect(compact.metadata).not.to.have.any.keys('actorKind', 'via');
    expect(roundTrip(data, metadata).metadata).to.deep.equal({ ...metadata, schemaVersion: 2 });
    const other = fullMetadata({ actorKind: 'user', via: 'console' });
    expect(roundTrip(data, other).metadata).to.deep.equal({ ...other, schemaVersion: 2 });
  });

  it('is little more than half the size of the full form', function () {
    const data = fullData();
    const metadata = fullMetadata();

    const compact = compactTokenIssued(data, metadata);

    const size = (value: unknown) => JSON.stringify(value).length;
    expect(size(compact.data) + size(compact.metadata)).to.be.below((size(data) + size(metadata)) * 0.6);
    expect(compact.data).not.to.have.property('applicationId');
  });

  it('keeps values that are not what the compact form expects exactly as written', function () {
    // given ids that are not lowercase UUIDs, an actor other than the client, a time without
    // milliseconds, no scope, one audience, a refresh-token family, and metadata it does not know
    const data = fullData({ jti: 'custom-jti-1', sub: randomUUID().toUpperCase(), scope: '', aud: [`${issuer}/api`], grant: 'refresh_token', familyId: 'family-x' });
    const metadata = fullMetadata({
      actor: 'system',
      occurredAt: '2025-12-01T19:00:54Z',
      correlationId: 'not-a-uuid',
      causationId: randomUUID(),
    });
    const withExtra = { ...metadata, via: 'console', actorKind: 'client' } as EventMetadata;

    // when it is stored compact and read back
    const back = roundTrip(data, withExtra);

    // then every value comes back as written
    expect(back.data).to.deep.equal(data);
    expect(back.metadata).to.deep.equal({ ...withExtra, schemaVersion: 2 });
  });

  it('given a token obtained with the previous secret, then `previousSecret` is kept in 4 bytes, and costs nothing when absent', function () {
    const data = fullData({ previousSecret: 1 });
    const metadata = fullMetadata();

    const compact = compactTokenIssued(data, metadata);
    const back = roundTrip(data, metadata);

    expect(back.data).to.deep.equal(data);
    expect(JSON.stringify(compact.data).length - JSON.stringify(compactTokenIssued(fullData(), metadata).data).length).to.be.at.most(6);
    expect(compactTokenIssued(fullData(), metadata).data).not.to.have.property('p');
  });

  it('round-trips no audience, no IP and no user agent', function () {
    const data = fullData({ aud: [], familyId: randomUUID(), grant: 'password' });
    const { ip: _ip, userAgent: _ua, ...metadata } = fullMetadata();

    const back = roundTrip(data, metadata);

    expect(back.data).to.deep.equal(data);
    expect(back.metadata).to.deep.equal({ ...metadata, schemaVersion: 2 });
  });

  it('given an authorization_code token with the redeemed code id, then it round-trips and costs only its 12 characters under one key', function () {
    const data = fullData({ grant: 'authorization_code', familyId: randomUUID(), codeId: 'AbC-123_xYz0' });
    const metadata = fullMetadata();

    const back = roundTrip(data, metadata);
    const without = JSON.stringify(compactTokenIssued({ ...data, codeId: undefined }, metadata)).length;
    const withCode = JSON.stringify(compactTokenIssued(data, metadata)).length;

    expect(back.data).to.deep.equal(data);
    expect(withCode - without).to.equal('"o":"AbC-123_xYz0",'.length);
    expect(roundTrip(fullData(), metadata).data).to.not.have.property('codeId');
  });

  it('is upcast on read: a version 1 event passes untouched, a version 2 event reads as the full shape', function () {
    const data = fullData();
    const metadata = fullMetadata();
    const compact = compactTokenIssued(data, metadata);
    const recorded = (d: unknown, m: unknown): RecordedEvent => ({
      id: randomUUID(), type: 'TokenIssued', data: d, metadata: m as EventMetadata,
      streamName, revision: 3, position: 9, recordedAt: metadata.occurredAt,
    });

    const v1 = recorded(data, metadata);
    expect(upcastWithDefaults(v1)).to.equal(v1);
    const v2 = upcastWithDefaults(recorded(compact.data, compact.metadata));
    expect([v2.data, v2.metadata]).to.deep.equal([data, { ...metadata, schemaVersion: 2 }]);
  });

  it('reads back in full from the SQLite store, by stream and from the global log', async function () {
    // given a compact TokenIssued appended to the SQLite store
    const dir = await createTempDir('tollgate-compact-');
    const store = createSqliteEventStore({ file: dir.file('events.sqlite') });
    try {
      const data = fullData();
      const metadata = fullMetadata();
      const compact = compactTokenIssued(data, metadata);
      await store.appendToStream(streamName, [
        { id: randomUUID(), type: 'TokenIssued', data: compact.data, metadata: compact.metadata as unknown as EventMetadata },
      ]);

      // when it is read, then readers see the full shape
      const [byStream] = await store.readStream(streamName);
      const [fromAll] = await store.readAll();
      for (const event of [byStream!, fromAll!]) {
        expect(event.data).to.deep.equal(data);
        expect(event.metadata).to.deep.equal({ ...metadata, schemaVersion: 2 });
      }
    } finally {
      await store.close();
      await dir.remove();
    }
  });
});
