import { expect } from 'chai';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import { aggregateStream } from '../../src/commands/aggregateStream.js';
import { organizationDecider } from '../../src/domain/organization/organizationDecider.js';
import type { OrganizationCommand } from '../../src/domain/organization/organizationCommands.js';
import { DomainError, isDomainError } from '../../src/domain/shared/domainError.js';
import type { CommandMetadata } from '../../src/domain/shared/event.js';
import { userDecider } from '../../src/domain/user/userDecider.js';
import type { UserCommand } from '../../src/domain/user/userCommands.js';
import { openSqliteStore, withReadBarrier, type StoreFixture } from './storeFixture.js';

const at = (iso: string, extra: Partial<CommandMetadata> = {}): CommandMetadata => ({
  actor: 'admin-1',
  actorKind: 'user',
  now: new Date(iso),
  correlationId: 'corr-1',
  ...extra,
});
const T1 = '2025-01-01T00:00:00.000Z';
const stream = 'organization-o1';
const create = (name = 'Acme', metadata = at(T1)): OrganizationCommand => ({
  type: 'CreateOrganization',
  data: { organizationId: 'o1', name, globalAccess: false },
  metadata,
});
const rename = (name: string, metadata = at(T1)): OrganizationCommand => ({
  type: 'RenameOrganization',
  data: { organizationId: 'o1', name },
  metadata,
});
const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('command handler (on the SQLite event store)', () => {
  let fx: StoreFixture;
  beforeEach(async () => (fx = await openSqliteStore()));
  afterEach(() => fx.cleanup());

  it('given an empty stream, appends the decided events with ids and the command metadata', async () => {
    const handler = createCommandHandler(fx.store);
    const metadata = at(T1, { via: 'client-1', causationId: 'cause-1', ip: '10.0.0.1', userAgent: 'curl/8' });
    const result = await handler.handle(organizationDecider, stream, create('Acme', metadata));
    const stored = await fx.store.readStream(stream);
    expect(stored).to.have.length(1);
    expect(stored[0]).to.deep.include({ type: 'OrganizationCreated', revision: 0 });
    expect(stored[0]!.id).to.match(/^[0-9a-f-]{36}$/);
    expect(stored[0]!.metadata).to.deep.equal({
      actor: 'admin-1',
      actorKind: 'user',
      via: 'client-1',
      schemaVersion: 1,
      occurredAt: T1,
      correlationId: 'corr-1',
      causationId: 'cause-1',
      ip: '10.0.0.1',
      userAgent: 'curl/8',
    });
    expect(result.events).to.deep.equal(stored);
    expect(result).to.deep.include({ nextExpectedRevision: 0, position: stored[0]!.position });
    expect(result.state).to.deep.equal({ status: 'Enabled', organizationId: 'o1', name: 'Acme', globalAccess: false });
  });

  it('leaves optional metadata out rather than storing undefined', async () => {
    await createCommandHandler(fx.store).handle(organizationDecider, stream, create());
    const [event] = await fx.store.readStream(stream);
    expect(Object.keys(event!.metadata).sort()).to.deep.equal(['actor', 'actorKind', 'correlationId', 'occurredAt', 'schemaVersion']);
  });

  it('folds the existing stream before deciding, and appends at the next revision', async () => {
    const handler = createCommandHandler(fx.store);
    await handler.handle(organizationDecider, stream, create());
    const result = await handler.handle(organizationDecider, stream, rename('Acme 2'));
    expect(result.events.map((e) => [e.type, e.revision])).to.deep.equal([['OrganizationRenamed', 1]]);
    expect(result.events[0]!.data).to.deep.equal({ organizationId: 'o1', name: 'Acme 2', previousName: 'Acme' });
    expect(result.nextExpectedRevision).to.equal(1);
  });

  it('appends nothing when the decision is empty, and reports the current revision', async () => {
    const handler = createCommandHandler(fx.store);
    const first = await handler.handle(organizationDecider, stream, create());
    const head = await fx.store.headPosition();
    const result = await handler.handle(organizationDecider, stream, rename('Acme'));
    expect(result).to.deep.include({ events: [], nextExpectedRevision: 0, position: first.position });
    expect(await fx.store.headPosition()).to.equal(head);
  });

  it('lets domain errors through and writes nothing', async () => {
    const handler = createCommandHandler(fx.store);
    expect(await codeOf(handler.handle(organizationDecider, stream, rename('X')))).to.equal('NOT_FOUND');
    expect(await codeOf(handler.handle(organizationDecider, stream, create('')))).to.equal('VALIDATION');
    expect(await fx.store.headPosition()).to.equal(0);
  });

  it('honours a caller-supplied expected revision: STALE_REVISION on mismatch, success on match', async () => {
    const handler = createCommandHandler(fx.store);
    await handler.handle(organizationDecider, stream, create());
    expect(await codeOf(handler.handle(organizationDecider, stream, rename('B'), { expectedRevision: 5 }))).to.equal('STALE_REVISION');
    expect(await codeOf(handler.handle(organizationDecider, 'organization-none', create(), { expectedRevision: 0 }))).to.equal('STALE_REVISION');
    const ok = await handler.handle(organizationDecider, stream, rename('B'), { expectedRevision: 0 });
    expect(ok.nextExpectedRevision).to.equal(1);
  });

  describe('concurrency', () => {
    const userStream = 'user-u1';
    const registerUser: UserCommand = {
      type: 'RegisterUser',
      data: {
        userId: 'u1',
        kind: 'backOffice',
        username: 'jane',
        email: 'jane@acme.test',
        roles: ['user'],
        organizationIds: ['o1'],
        passwordHash: 'scrypt$x',
      },
      metadata: at(T1),
    };
    const failure: UserCommand = { type: 'RecordLoginFailure', data: { userId: 'u1', policy: { failureLimit: 10, waitSeconds: 60, maxWaitSeconds: 900, failureResetSeconds: 43200 } }, metadata: at(T1) };

    beforeEach(() => createCommandHandler(fx.store).handle(userDecider, userStream, registerUser));

    it('two racing handlers with commuting commands both succeed through a retry', async () => {
      const racing = withReadBarrier(fx.store, userStream, 2);
      const [a, b] = [createCommandHandler(racing), createCommandHandler(racing)];
      const results = await Promise.all([a.handle(userDecider, userStream, failure), b.handle(userDecider, userStream, failure)]);
      expect(results.map((r) => r.events[0]!.data).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).to.deep.equal([
        { userId: 'u1', failures: 1 },
        { userId: 'u1', failures: 2 },
      ]);
      const { state } = await aggregateStream(fx.store, userStream, userDecider.evolve, userDecider.initialState);
      expect(state).to.include({ loginFailures: 2 });
    });

    it('with retries exhausted the loser gets CONFLICT and writes nothing', async () => {
      const racing = withReadBarrier(fx.store, userStream, 2);
      const handler = createCommandHandler(racing, { maxRetries: 0 });
      const outcomes = await Promise.allSettled([
        handler.handle(userDecider, userStream, failure),
        handler.handle(userDecider, userStream, failure),
      ]);
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(1);
      expect(rejected).to.have.length(1);
      expect(rejected[0]!.reason).to.be.instanceOf(DomainError).and.include({ code: 'CONFLICT' });
      expect(await fx.store.readStream(userStream)).to.have.length(2);
    });

    it('with a caller-supplied revision the loser gets STALE_REVISION, not a retry', async () => {
      const racing = withReadBarrier(fx.store, userStream, 2);
      const handler = createCommandHandler(racing, { maxRetries: 5 });
      const outcomes = await Promise.allSettled([
        handler.handle(userDecider, userStream, failure, { expectedRevision: 0 }),
        handler.handle(userDecider, userStream, failure, { expectedRevision: 0 }),
      ]);
      const reasons = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as DomainError).code] : []));
      expect(reasons).to.deep.equal(['STALE_REVISION']);
    });

    it('builds a command from the freshly loaded state again on every retry', async () => {
      const handler = createCommandHandler(fx.store);
      const seen: [number, number][] = [];
      await handler.handle(userDecider, userStream, async (state, revision) => {
        seen.push([revision, state.status === 'Registered' ? state.loginFailures : -1]);
        // The first time, another writer slips in between this load and this append.
        if (seen.length === 1) await createCommandHandler(fx.store).handle(userDecider, userStream, failure);
        return failure;
      });
      expect(seen).to.deep.equal([
        [0, 0],
        [1, 1],
      ]);
      const events = await fx.store.readStream(userStream);
      expect(events.map((e) => e.data)).to.deep.include({ userId: 'u1', failures: 2 });
    });
  });

  describe('aggregateStream', () => {
    it('returns the empty state and revision -1 for an unknown stream', async () => {
      const result = await aggregateStream(fx.store, 'organization-x', organizationDecider.evolve, organizationDecider.initialState);
      expect(result).to.deep.equal({ state: { status: 'Empty' }, revision: -1, position: 0 });
    });

    it('folds up to asOf: the state as it was at that moment', async () => {
      const handler = createCommandHandler(fx.store);
      await handler.handle(organizationDecider, stream, create('A', at('2025-01-01T00:00:00.000Z')));
      await handler.handle(organizationDecider, stream, rename('B', at('2025-01-02T00:00:00.000Z')));
      await handler.handle(organizationDecider, stream, rename('C', at('2025-01-03T00:00:00.000Z')));
      const asOf = async (iso: string) =>
        aggregateStream(fx.store, stream, organizationDecider.evolve, organizationDecider.initialState, { asOf: new Date(iso) });
      expect(await asOf('2024-12-31T23:59:59.999Z')).to.deep.include({ state: { status: 'Empty' }, revision: -1 });
      expect((await asOf('2025-01-02T00:00:00.000Z')).state).to.include({ name: 'B' });
      expect(await asOf('2025-01-02T12:00:00.000Z')).to.deep.include({ revision: 1 });
      expect((await asOf('2030-01-01T00:00:00.000Z')).state).to.include({ name: 'C' });
    });
  });
});
