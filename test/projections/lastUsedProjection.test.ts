import { expect } from 'chai';
import { createInMemoryReadModel } from '../../projections/inMemory/inMemoryReadModel.js';
import { createLastUsedProjection, type LastUsedProjection } from '../../projections/lastUsedProjection.js';
import { createProjectionRunner, type ProjectionRunner } from '../../projections/projectionRunner.js';
import { createProjections } from '../../projections/projections.js';
import type { LastUsedUpdate, ReadModel } from '../../projections/readModel.js';
import { StoreUnavailableError, type EventStore } from '../../src/eventStore/eventStore.js';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createTokenAudit } from '../../src/tokens/tokenAudit.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { rejectionOf } from '../eventStore/eventStoreTestKit.js';
import { at, EventLog } from './support/eventLog.js';

/** Counts what the runner reads from the store's global log, by event type. */
function countingReads(store: EventStore): { store: EventStore; readTypes: string[] } {
  const readTypes: string[] = [];
  const counted: EventStore = Object.create(store) as EventStore;
  counted.subscribeToAll = (options) =>
    store.subscribeToAll({ ...options, onEvent: (event) => (readTypes.push(event.type), options.onEvent(event)) });
  return { store: counted, readTypes };
}

describe('last-used times', function () {
  let dir: TempDir;
  let store: SqliteEventStore;
  const runners: ProjectionRunner[] = [];
  const start = async (readModel: ReadModel, lastUsed: LastUsedProjection, on: EventStore = store) => {
    const runner = createProjectionRunner({ store: on, readModel, projections: createProjections(lastUsed), flushIntervalMs: 60_000 });
    runners.push(runner);
    await runner.start();
    expect(await runner.waitUntilCaughtUp(10_000)).to.equal(true);
    return runner;
  };
  const lastUsedAt = async (readModel: ReadModel, id: string) => (await readModel.applications.get(id))?.lastUsedAt;

  beforeEach(async () => {
    dir = await createTempDir('tollgate-lastused-');
    store = createSqliteEventStore({ file: dir.file('events.sqlite'), retentionIntervalMs: 0 });
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await store.close();
    await dir.remove();
  });

  describe('fed in process (one process issues the tokens: the embedded store)', function () {
    it('given tokens reported by the token path, then they show after the flush, one write per application, without reading TokenIssued from the store', async function () {
      // given two applications and a runner whose last-used times are fed in process
      await new EventLog().organization('o').application('a0', { organizationId: 'o' }).application('a1', { organizationId: 'o' }).appendTo(store);
      const readModel = createInMemoryReadModel();
      const writes: LastUsedUpdate[][] = [];
      const touch = readModel.applications.touchLastUsed.bind(readModel.applications);
      readModel.applications.touchLastUsed = async (updates) => (writes.push([...updates]), touch(updates));
      const lastUsed = createLastUsedProjection({ tokensFrom: 'thisProcess', store });
      const { store: counted, readTypes } = countingReads(store);
      const runner = await start(readModel, lastUsed, counted);

      // when the token audit issues a storm of tokens (durably appended, then reported)
      const audit = createTokenAudit({ store, retentionSeconds: 3600, onIssued: lastUsed.recordIssued });
      for (let i = 0; i < 100; i += 1) {
        const application = i % 2 === 0 ? 'a0' : 'a1';
        await audit.issued(
          { jti: `j${i}`, applicationId: application, clientId: `c-${application}`, grant: 'client_credentials', sub: 'u', aud: [], scope: '', exp: 0 },
          { correlationId: `k${i}` },
          new Date(at(1000 + i)),
        );
      }
      await runner.checkpoint();

      // then each application shows its newest token, in one write for both
      expect(await lastUsedAt(readModel, 'a0')).to.equal(at(1098));
      expect(await lastUsedAt(readModel, 'a1')).to.equal(at(1099));
      expect(writes.flat()).to.have.length(2);
      // and the runner read no token event from the store
      expect(await runner.waitForPosition(await store.headPosition(), 5000)).to.equal(true);
      expect(readTypes).not.to.include('TokenIssued');
    });

    it('given tokens by the current and the previous secret, then each secret keeps its newest time, and an older secret (2) counts only as any use', async function () {
      // given an application and a runner fed in process
      await new EventLog().organization('o').application('a0', { organizationId: 'o' }).appendTo(store);
      const readModel = createInMemoryReadModel();
      const lastUsed = createLastUsedProjection({ tokensFrom: 'thisProcess', store });
      const runner = await start(readModel, lastUsed);

      // when tokens come through the previous secret, the current one, and one older still
      lastUsed.recordIssued('a0', at(100), 1);
      lastUsed.recordIssued('a0', at(200));
      lastUsed.recordIssued('a0', at(150), 1);
      lastUsed.recordIssued('a0', at(300), 2);
      await runner.checkpoint();

      // then the row holds each secret's newest and the newest of all
      expect(await readModel.applications.get('a0')).to.deep.include({ lastUsedAt: at(300), currentSecretLastUsedAt: at(200), previousSecretLastUsedAt: at(150) });
    });

    it('given a history, when the read model is rebuilt (start of the in-memory read model), then each application is seeded from the newest TokenIssued of its stream', async function () {
      // given a0 whose newest token is followed by more than a page of revocations, a1 with
      // one token, and a2 never used
      const log = new EventLog().organization('o');
      for (const id of ['a0', 'a1', 'a2']) log.application(id, { organizationId: 'o' });
      log.token('a0', at(500)).token('a0', at(501)).token('a1', at(502));
      for (let i = 0; i < 120; i += 1) log.add('oauthTokens-a0', 'TokenRevoked', { jti: `r${i}`, applicationId: 'a0', reason: 'revocation' });
      await log.appendTo(store);

      // when a runner replays it with last-used fed in process
      const readModel = createInMemoryReadModel();
      const runner = await start(readModel, createLastUsedProjection({ tokensFrom: 'thisProcess', store }));
      await runner.checkpoint();

      // then the times are those of the newest tokens, and an unused application has none
      expect(await lastUsedAt(readModel, 'a0')).to.equal(at(501));
      expect(await lastUsedAt(readModel, 'a1')).to.equal(at(502));
      expect(await lastUsedAt(readModel, 'a2')).to.equal(null);
    });

    it('given the append fails, then the token is not reported', async function () {
      const reported: string[] = [];
      const audit = createTokenAudit({ store, retentionSeconds: 3600, onIssued: (id) => reported.push(id) });
      await store.close();

      const error = await rejectionOf(
        audit.issued(
          { jti: 'j', applicationId: 'a0', clientId: 'c', grant: 'client_credentials', sub: 'u', aud: [], scope: '', exp: 0 },
          { correlationId: 'k' },
          new Date(at(1)),
        ),
      );

      expect(error).to.be.instanceOf(StoreUnavailableError);
      expect(reported).to.deep.equal([]);
      store = createSqliteEventStore({ file: dir.file('events.sqlite'), retentionIntervalMs: 0 });
    });
  });

  describe('read from the store (a store several nodes share)', function () {
    it('given tokens of another node in the store and of this node reported in process, then both count, the newest wins', async function () {
      // given an application and another node's token in the store
      await new EventLog().organization('o').application('a0', { organizationId: 'o' }).application('a1', { organizationId: 'o' }).token('a0', at(700)).appendTo(store);
      const readModel = createInMemoryReadModel();
      const lastUsed = createLastUsedProjection();
      const runner = await start(readModel, lastUsed);

      // when this node reports an older token for a0 and a newer one for a1
      lastUsed.recordIssued('a0', at(600));
      lastUsed.recordIssued('a1', at(800));
      await runner.checkpoint();

      // then a0 keeps the other node's newer time and a1 shows this node's
      expect(await lastUsedAt(readModel, 'a0')).to.equal(at(700));
      expect(await lastUsedAt(readModel, 'a1')).to.equal(at(800));

      // and a later token of the other node still arrives through the store
      const head = await new EventLog().token('a1', at(900)).appendTo(store);
      expect(await runner.waitForPosition(head, 5000)).to.equal(true);
      await runner.checkpoint();
      expect(await lastUsedAt(readModel, 'a1')).to.equal(at(900));
    });
  });
});
