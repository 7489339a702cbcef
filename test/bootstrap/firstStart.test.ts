import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { BOOTSTRAP_STREAM, bootstrapFirstStart } from '../../src/bootstrap/firstStart.js';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import type { CommandDeps } from '../../src/commands/commandDeps.js';
import type { EventStore } from '../../src/eventStore/eventStore.js';
import { openSqliteStore, type StoreFixture } from '../commands/storeFixture.js';

const settings = { adminUsername: 'admin', adminPassword: 'admin-password-123', adminEmail: 'admin@example.test' };
/** One "node": its own command handler over the shared store. */
const node = (store: EventStore): CommandDeps => ({ store, handler: createCommandHandler(store) });
const countOf = async (store: EventStore, type: string) => (await store.readAll({ filter: { eventTypes: [type] } })).length;

describe('first-start bootstrap across nodes', function () {
  let fixture: StoreFixture;
  beforeEach(async () => (fixture = await openSqliteStore()));
  afterEach(() => fixture.cleanup());

  it('given several nodes starting together on an empty store, then exactly one bootstraps and the others wait for it', async () => {
    const { store } = fixture;

    const reports = await Promise.all([node(store), node(store), node(store)].map((deps) => bootstrapFirstStart(deps, settings, undefined, { pollMs: 5 })));

    expect(reports.filter((report) => report !== null)).to.have.length(1);
    expect([await countOf(store, 'OrganizationCreated'), await countOf(store, 'UserRegistered'), await countOf(store, 'ApplicationCreated')]).to.deep.equal([1, 1, 1]);
    expect((await store.readStream(BOOTSTRAP_STREAM)).map((e) => e.type)).to.deep.equal(['BootstrapStarted', 'BootstrapCompleted']);
  });

  it('given a node that started the bootstrap and crashed, when its lease is over, then one later node takes over and completes it', async () => {
    // Given a BootstrapStarted whose lease ended, and nothing else
    const { store } = fixture;
    const ids = { organizationId: randomUUID(), userId: randomUUID(), applicationId: randomUUID(), leaseUntil: '2025-01-01T00:00:30.000Z' };
    await store.appendToStream(BOOTSTRAP_STREAM, [
      { id: randomUUID(), type: 'BootstrapStarted', data: ids, metadata: { actor: 'bootstrap', occurredAt: '2025-01-01T00:00:00.000Z', correlationId: 'c' } },
    ], { expectedRevision: 'no_stream' });
    const later = () => new Date('2025-01-01T00:01:00.000Z');

    // When two nodes start
    const reports = await Promise.all([node(store), node(store)].map((deps) => bootstrapFirstStart(deps, settings, later, { pollMs: 5 })));

    // Then one resumes with the same ids, once
    const report = reports.find((r) => r !== null);
    expect(reports.filter((r) => r !== null)).to.have.length(1);
    expect(report).to.include({ organizationId: ids.organizationId, applicationId: ids.applicationId });
    expect((await store.readStream(BOOTSTRAP_STREAM)).map((e) => e.type)).to.deep.equal(['BootstrapStarted', 'BootstrapResumed', 'BootstrapCompleted']);
    expect(await countOf(store, 'OrganizationCreated')).to.equal(1);
  });

  it('given a completed bootstrap, then a later start does nothing', async () => {
    await bootstrapFirstStart(node(fixture.store), settings);

    expect(await bootstrapFirstStart(node(fixture.store), settings)).to.equal(null);
    expect(await countOf(fixture.store, 'OrganizationCreated')).to.equal(1);
  });
});
