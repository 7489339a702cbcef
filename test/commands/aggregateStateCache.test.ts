import { expect } from 'chai';
import { createAggregateStateCache } from '../../src/commands/aggregateStateCache.js';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import type { CommandMetadata } from '../../src/domain/shared/event.js';
import {
  refreshTokenFamilyDecider,
  type RefreshTokenFamilyCommand,
} from '../../src/domain/tokens/refreshTokenFamilyDecider.js';
import { organizationDecider } from '../../src/domain/organization/organizationDecider.js';
import type { EventStore } from '../../src/eventStore/eventStore.js';
import { openSqliteStore, type StoreFixture } from './storeFixture.js';

const metadata: CommandMetadata = { actor: 'client:c', actorKind: 'client', now: new Date('2030-01-01T00:00:00Z'), correlationId: 'c' };
const stream = 'refreshTokenFamily-f';
const issue: RefreshTokenFamilyCommand = {
  type: 'IssueRefreshToken',
  data: { familyId: 'f', applicationId: 'app', userId: 'u', tokenHash: 'h0', scope: '', aud: ['a'], expiresAt: '2030-02-01T00:00:00Z', accessTokenJti: 'j0' },
  metadata,
};
const rotate = (presented: string, next: string): RefreshTokenFamilyCommand => ({
  type: 'RotateRefreshToken',
  data: { familyId: 'f', applicationId: 'app', presentedTokenHash: presented, tokenHash: next, expiresAt: '2030-02-01T00:00:00Z', accessTokenJti: `j-${next}` },
  metadata,
});

/** The real store, counting the events its stream reads return (no behaviour changed). */
const counting = (store: EventStore) => {
  let eventsRead = 0;
  const wrapped: EventStore = Object.create(store) as EventStore;
  wrapped.readStream = async (name, options) => {
    const events = await store.readStream(name, options);
    eventsRead += events.length;
    return events;
  };
  return { store: wrapped, read: () => eventsRead, reset: () => (eventsRead = 0) };
};

describe('aggregate state cache in the command handler', () => {
  let fx: StoreFixture;
  beforeEach(async () => (fx = await openSqliteStore()));
  afterEach(() => fx.cleanup());

  it('given a cached family, when rotated again, then only the events after the cached state are loaded', async () => {
    // Given a family rotated 50 times through a handler with the cache
    const spy = counting(fx.store);
    const cache = createAggregateStateCache({ deciders: [refreshTokenFamilyDecider], maxEvents: 10_000 });
    const handler = createCommandHandler(spy.store, { stateCache: cache });
    await handler.handle(refreshTokenFamilyDecider, stream, issue);
    for (let i = 1; i <= 50; i++) await handler.handle(refreshTokenFamilyDecider, stream, rotate(`h${i - 1}`, `h${i}`));
    spy.reset();
    // When rotated once more
    const result = await handler.handle(refreshTokenFamilyDecider, stream, rotate('h50', 'h51'));
    // Then the load read nothing old (the one event read is the append's own read-back)
    expect(spy.read()).to.equal(1);
    expect(result.nextExpectedRevision).to.equal(51);
    expect(cache.size).to.equal(1);
    expect(cache.weight).to.equal(52);
  });

  it('given a state cached on one node, when another node appends, then the next command decides on the new events', async () => {
    // Given node A (cache) issued and rotated; node B (no cache) rotates the current token
    const nodeA = createCommandHandler(fx.store, { stateCache: createAggregateStateCache({ deciders: [refreshTokenFamilyDecider], maxEvents: 10_000 }) });
    const nodeB = createCommandHandler(fx.store);
    await nodeA.handle(refreshTokenFamilyDecider, stream, issue);
    await nodeA.handle(refreshTokenFamilyDecider, stream, rotate('h0', 'h1'));
    await nodeB.handle(refreshTokenFamilyDecider, stream, rotate('h1', 'h2'));
    // When node A is presented h1 again (rotated away by B: reuse)
    const result = await nodeA.handle(refreshTokenFamilyDecider, stream, rotate('h1', 'h3'));
    // Then A saw B's rotation: the family is revoked with every access token
    expect(result.events.map((e) => e.type)).to.deep.equal(['RefreshTokenFamilyRevoked']);
    expect((result.events[0]!.data as { accessTokenJtis: string[] }).accessTokenJtis).to.deep.equal(['j0', 'j-h1', 'j-h2']);
  });

  it('given two cached handlers racing on one token, then exactly one rotates and the other revokes (expected revisions still hold)', async () => {
    const cacheOptions = { deciders: [refreshTokenFamilyDecider], maxEvents: 10_000 };
    const a = createCommandHandler(fx.store, { stateCache: createAggregateStateCache(cacheOptions) });
    const b = createCommandHandler(fx.store, { stateCache: createAggregateStateCache(cacheOptions) });
    await a.handle(refreshTokenFamilyDecider, stream, issue);
    await b.handle(refreshTokenFamilyDecider, stream, rotate('h0', 'h1')); // b caches too
    const results = await Promise.all([
      a.handle(refreshTokenFamilyDecider, stream, rotate('h1', 'hA')),
      b.handle(refreshTokenFamilyDecider, stream, rotate('h1', 'hB')),
    ]);
    const types = results.map((r) => r.events.map((e) => e.type).join()).sort();
    expect(types).to.deep.equal(['RefreshTokenFamilyRevoked', 'RefreshTokenRotated']);
  });

  it('keeps only the deciders it covers, drops the least recently used past its bound, and refuses a state over the bound', () => {
    const cache = createAggregateStateCache({ deciders: [refreshTokenFamilyDecider], maxEvents: 10 });
    const loaded = (revision: number) => ({ state: { status: 'Empty' as const }, revision, position: revision + 1 });
    cache.set(organizationDecider, 'organization-1', loaded(0));
    expect(cache.size).to.equal(0);
    cache.set(refreshTokenFamilyDecider, 's1', loaded(3)); // weight 4
    cache.set(refreshTokenFamilyDecider, 's2', loaded(3)); // weight 8
    expect(cache.get(refreshTokenFamilyDecider, 's1')).to.not.equal(undefined); // s1 now most recent
    cache.set(refreshTokenFamilyDecider, 's3', loaded(3)); // 12 > 10: s2 goes
    expect(cache.get(refreshTokenFamilyDecider, 's2')).to.equal(undefined);
    expect(cache.get(refreshTokenFamilyDecider, 's1')).to.not.equal(undefined);
    expect(cache.weight).to.equal(8);
    cache.set(refreshTokenFamilyDecider, 'huge', loaded(10)); // weight 11 alone: not kept
    expect(cache.get(refreshTokenFamilyDecider, 'huge')).to.equal(undefined);
    expect(cache.get(organizationDecider, 's1')).to.equal(undefined); // another decider's view of the stream
  });
});
