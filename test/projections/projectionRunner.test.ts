import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInMemoryReadModel } from '../../projections/inMemory/inMemoryReadModel.js';
import { createProjectionRunner, type ProjectionRunner, type ProjectionRunnerOptions } from '../../projections/projectionRunner.js';
import { createProjections } from '../../projections/projections.js';
import type { Projection } from '../../projections/projection.js';
import type { LastUsedUpdate, ReadModel } from '../../projections/readModel.js';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { byteOffsetStore } from './support/byteOffsetStore.js';
import { at, EventLog } from './support/eventLog.js';
import { snapshot } from './support/readModelSnapshot.js';

describe('projection runner (SQLite event store, in-memory read model)', () => {
  let dir: string;
  let store: SqliteEventStore;
  const runners: ProjectionRunner[] = [];
  const runner = (readModel: ReadModel, options: Partial<ProjectionRunnerOptions> = {}) => {
    const created = createProjectionRunner({ store, readModel, checkpointEveryEvents: 3, retryDelayMs: 10, ...options });
    runners.push(created);
    return created;
  };
  const organizationsAndApps = (n: number, prefix: string) => {
    const log = new EventLog().organization(`${prefix}o`, `Org ${prefix}`);
    for (let i = 0; i < n; i += 1) log.application(`${prefix}${i}`, { organizationId: `${prefix}o` });
    return log;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-runner-'));
    store = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a stored checkpoint, when a new runner starts, then it applies only the later events', async () => {
    const readModel = createInMemoryReadModel();
    await organizationsAndApps(4, 'a').appendTo(store);
    const first = runner(readModel);
    await first.start();
    expect(await first.waitUntilCaughtUp(30_000)).to.equal(true);
    await first.stop();
    const checkpoint = await readModel.checkpoints.load('readModel');
    expect(checkpoint).to.equal(await store.headPosition());

    const head = await organizationsAndApps(2, 'b').appendTo(store);
    const second = runner(readModel);
    await second.start();
    expect(await second.waitForPosition(head, 30_000)).to.equal(true);
    expect(second.applied).to.equal(3);
    expect((await snapshot(readModel)).applications).to.have.length(6);
  });

  it('rebuild gives the same read model as the live one', async () => {
    const live = createInMemoryReadModel();
    const liveRunner = runner(live);
    await liveRunner.start();
    const log = organizationsAndApps(5, 'a')
      .user('u1', ['ao'], 'alice')
      .application('x', { organizationId: 'ao', ownerUserId: 'u1', name: 'Owned' })
      .applicationEvent('a1', 'ApplicationUpdated', { changes: { name: { from: 'App a1', to: 'Renamed' } } })
      .applicationEvent('a2', 'ApplicationDeleted')
      .renameOrganization('ao', 'Org A2', 'Org a')
      .token('x', at(900));
    const head = await log.appendTo(store);
    expect(await liveRunner.waitForPosition(head, 30_000)).to.equal(true);
    await liveRunner.checkpoint();
    const expected = await snapshot(live);
    expect(expected.applications.find((a) => a.id === 'x')).to.include({ ownerUsername: 'alice', lastUsedAt: at(900) });

    const rebuilt = createInMemoryReadModel();
    const result = await runner(rebuilt).rebuild();
    expect(result.events).to.equal(head);
    expect(await snapshot(rebuilt)).to.deep.equal(expected);

    await liveRunner.rebuild();
    expect(await snapshot(live)).to.deep.equal(expected);
  });

  it('reports lag until caught up, including over events of streams it does not need', async () => {
    const head = await organizationsAndApps(3, 'a').appendTo(store);
    const r = runner(createInMemoryReadModel());
    expect(await r.lag()).to.equal(head);
    await r.start();
    await r.waitUntilCaughtUp(30_000);
    expect(await r.lag()).to.equal(0);
    const unrelated = await new EventLog().add('refreshTokenFamily-f1', 'RefreshTokenFamilyRevoked', { familyId: 'f1' }).appendTo(store);
    expect(await r.lag()).to.equal(0);
    expect(r.position).to.equal(unrelated);
  });

  it('waitForPosition resolves once the read model shows the write, and false on timeout', async () => {
    const readModel = createInMemoryReadModel();
    const r = runner(readModel);
    await r.start();
    const position = await organizationsAndApps(1, 'a').appendTo(store);
    expect(await r.waitForPosition(position, 30_000)).to.equal(true);
    expect(await readModel.applications.get('a0')).not.to.equal(null);
    expect(await r.waitForPosition(position + 1000, 30)).to.equal(false);
    const unrelated = await new EventLog().add('unique-x-y', 'KeyReserved', {}).appendTo(store);
    expect(await r.waitForPosition(unrelated, 30_000)).to.equal(true);
  });

  it('coalesces a token storm into one write per application, flushed before the checkpoint', async () => {
    const readModel = createInMemoryReadModel();
    const writes: LastUsedUpdate[][] = [];
    const touch = readModel.applications.touchLastUsed.bind(readModel.applications);
    readModel.applications.touchLastUsed = async (updates) => {
      writes.push([...updates]);
      return touch(updates);
    };
    const log = organizationsAndApps(2, 'a');
    for (let i = 0; i < 200; i += 1) log.token(i % 2 === 0 ? 'a0' : 'a1', at(1000 + i));
    const head = await log.appendTo(store);
    const r = runner(readModel, { flushIntervalMs: 60_000, checkpointEveryEvents: 1_000_000 });
    await r.start();
    expect(await r.waitForPosition(head, 30_000)).to.equal(true);
    await r.stop();
    const updates = writes.flat();
    expect(updates).to.have.length(2);
    expect((await readModel.applications.get('a0'))?.lastUsedAt).to.equal(at(1198));
    expect((await readModel.applications.get('a1'))?.lastUsedAt).to.equal(at(1199));
    expect(await readModel.checkpoints.load('readModel')).to.equal(head);
  });

  it('resubscribes after a failing handler and applies every event exactly as a clean run', async () => {
    let failures = 1;
    const flaky: Projection = {
      name: 'flaky',
      streamPrefixes: ['oauthApplication-'],
      handlers: {
        ApplicationCreated: async () => {
          if (failures-- > 0) throw new Error('read model unavailable');
        },
      },
    };
    const readModel = createInMemoryReadModel();
    const errors: string[] = [];
    const r = runner(readModel, { projections: [...createProjections(), flaky], onError: (e) => errors.push(e.message) });
    await r.start();
    const head = await organizationsAndApps(3, 'a').appendTo(store);
    expect(await r.waitForPosition(head, 30_000)).to.equal(true);
    expect(errors).to.deep.equal(['read model unavailable']);
    expect(r.lastError).to.equal(null);
    expect((await snapshot(readModel)).applications.map((a) => a.id)).to.have.members(['a0', 'a1', 'a2']);
  });

  describe('on a store whose positions are byte offsets (as EventStoreDB)', () => {
    it('given a needed event still in its handler, when it skips unrelated events, then it checkpoints only real positions and a restart goes on from there', async () => {
      const offsets = byteOffsetStore(store);
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const gated: Projection = {
        name: 'gated',
        streamPrefixes: ['oauthApplication-'],
        handlers: {
          ApplicationCreated: async (event) => {
            if ((event.data as { name: string }).name === 'Held') await gate;
          },
        },
      };
      const readModel = createInMemoryReadModel();
      const first = createProjectionRunner({ store: offsets, readModel, projections: [...createProjections(), gated], retryDelayMs: 10 });
      runners.push(first);
      await first.start();
      expect(await first.waitUntilCaughtUp(5000)).to.equal(true);
      const applied = await new EventLog().organization('o', 'Org').application('a0', { organizationId: 'o' }).appendTo(offsets);
      expect(await first.waitForPosition(applied, 5000)).to.equal(true);

      const unrelated = await new EventLog().add('unique-x-1', 'UniqueKeyReserved', {}).appendTo(offsets);
      await new EventLog().application('a1', { organizationId: 'o', name: 'Held' }).appendTo(offsets);
      await new EventLog().add('unique-x-2', 'UniqueKeyReserved', {}).appendTo(offsets);
      expect(await first.waitForPosition(unrelated, 5000)).to.equal(true);
      expect(await first.lag()).to.be.above(0);
      await first.checkpoint();

      const positions = new Set([0, ...(await offsets.readAll()).map((e) => e.position)]);
      const checkpoint = await readModel.checkpoints.load('readModel');
      expect(positions.has(checkpoint!), `checkpoint ${checkpoint}`).to.equal(true);
      release();
      await first.stop();
      expect(positions.has((await readModel.checkpoints.load('readModel'))!)).to.equal(true);

      const second = createProjectionRunner({ store: offsets, readModel, retryDelayMs: 10 });
      runners.push(second);
      await second.start();
      expect(await second.waitUntilCaughtUp(5000)).to.equal(true);
      expect(second.lastError).to.equal(null);
      expect((await snapshot(readModel)).applications.map((a) => a.id)).to.have.members(['a0', 'a1']);
      expect(offsets.startedFrom.every((p) => positions.has(p)), `started from ${offsets.startedFrom.join(', ')}`).to.equal(true);
    });
  });
});
