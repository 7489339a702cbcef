import { expect } from 'chai';
import {
  createApplication,
  deleteApplication,
  rotateApplicationSecret,
  setApplicationActive,
  updateApplication,
  type CreateApplicationInput,
} from '../../src/commands/applicationCommands.js';
import type { CommandDeps } from '../../src/commands/commandDeps.js';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import { loadApplication } from '../../src/commands/lookups.js';
import { createOrganization } from '../../src/commands/organizationCommands.js';
import { registerUser } from '../../src/commands/userCommands.js';
import { reserveUniqueKey } from '../../src/commands/uniqueKeys.js';
import { validSecretHashes } from '../../src/domain/application/applicationSecrets.js';
import { APPLICATION_NAME_SCOPE, toApplicationNameKey } from '../../src/domain/application/applicationNameKey.js';
import type { DomainError } from '../../src/domain/shared/domainError.js';
import type { CommandMetadata } from '../../src/domain/shared/event.js';
import { verifySecret } from '../../src/security/secretHash.js';
import { failure, openSqliteStore, type StoreFixture } from './storeFixture.js';

const T0 = new Date('2025-01-01T00:00:00.000Z');
const at = (now = T0): CommandMetadata => ({ actor: 'admin', actorKind: 'user', now, correlationId: 'c' });
const plus = (seconds: number) => new Date(T0.getTime() + seconds * 1000);


describe('application commands (on the SQLite event store)', () => {
  let fx: StoreFixture;
  let deps: CommandDeps;
  let organizationId: string;
  let ownerUserId: string;
  let customerId: string;
  const input = (overrides: Partial<CreateApplicationInput> = {}): CreateApplicationInput => ({
    name: 'Billing',
    organizationId,
    ownerUserId,
    grants: ['client_credentials'],
    ...overrides,
  });

  beforeEach(async () => {
    fx = await openSqliteStore();
    deps = { store: fx.store, handler: createCommandHandler(fx.store), uniqueKeyLeaseSeconds: 60 };
    organizationId = 'org-acme';
    ownerUserId = 'user-owner';
    customerId = 'user-shopper';
    await createOrganization(deps, { name: 'Acme', organizationId }, at());
    const user = { email: 'a@acme.test', password: 'long enough pw', roles: ['user' as const], organizationIds: [organizationId] };
    await registerUser(deps, { ...user, userId: ownerUserId, username: 'owner', kind: 'backOffice' }, at());
    await registerUser(deps, { ...user, userId: customerId, username: 'shopper', kind: 'customer' }, at());
  });
  afterEach(() => fx.cleanup());

  it('creates an application and returns the secret once; only its hash is stored', async () => {
    const result = await createApplication(deps, input(), at());
    expect(result.clientSecret).to.match(/^[A-Za-z0-9_-]{43}$/);
    const all = JSON.stringify(await fx.store.readAll());
    expect(all).not.to.include(result.clientSecret);
    expect(result.state).to.include({ status: 'Active', name: 'Billing', frontend: false });
    if (result.state.status === 'Empty') throw new Error('unreachable');
    expect(result.state.clientId).to.match(/^[A-Za-z0-9_-]{32}$/);
    const [hash] = validSecretHashes(result.state, T0);
    expect(verifySecret(result.clientSecret, hash)).to.equal(true);
  });

  it('validates before writing anything: invalid input leaves the store untouched', async () => {
    const head = await fx.store.headPosition();
    const error = await failure(createApplication(deps, input({ name: '', grants: [] }), at()));
    expect(error.code).to.equal('VALIDATION');
    expect(error.errors.map((e) => e.field)).to.have.members(['name', 'grants']);
    expect(await fx.store.headPosition()).to.equal(head);
  });

  it('refuses an unknown organization or owner', async () => {
    expect((await failure(createApplication(deps, input({ organizationId: 'nope' }), at()))).errors[0]!.field).to.equal('organizationId');
    expect((await failure(createApplication(deps, input({ ownerUserId: 'nope' }), at()))).errors[0]!.field).to.equal('ownerUserId');
  });

  it("takes the frontend flag from the owner's kind and refuses a contradiction", async () => {
    const shop = await createApplication(deps, input({ ownerUserId: customerId }), at());
    expect(shop.state).to.include({ frontend: true });
    const error = await failure(createApplication(deps, input({ name: 'x', frontend: false, ownerUserId: customerId }), at()));
    expect(error.errors[0]!.field).to.equal('frontend');
  });

  it('refuses a duplicate name within organization + owner, case-insensitively; allows it for another owner', async () => {
    await createApplication(deps, input(), at());
    const error = await failure(createApplication(deps, input({ name: '  BILLING ' }), at()));
    expect(error).to.include({ code: 'DUPLICATE_NAME' });
    expect(error.errors).to.deep.equal([{ field: 'name', message: 'is already taken' }]);
    await createApplication(deps, input({ ownerUserId: customerId }), at());
  });

  it('of two concurrent creations with one name exactly one wins', async () => {
    const outcomes = await Promise.allSettled([createApplication(deps, input(), at()), createApplication(deps, input(), at())]);
    expect(outcomes.map((o) => o.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect((rejected.reason as DomainError).code).to.equal('DUPLICATE_NAME');
    const created = (await fx.store.readAll({ filter: { eventTypes: ['ApplicationCreated'] } })).length;
    expect(created).to.equal(1);
  });

  it('frees the name on delete', async () => {
    const first = await createApplication(deps, input(), at());
    if (first.state.status === 'Empty') throw new Error('unreachable');
    await deleteApplication(deps, { applicationId: first.state.applicationId }, at());
    await createApplication(deps, input(), at());
  });

  it('moves the name on rename: the old one is free, the new one taken; renaming onto a taken name fails and changes nothing', async () => {
    const a = await createApplication(deps, input({ name: 'A' }), at());
    const b = await createApplication(deps, input({ name: 'B' }), at());
    if (a.state.status === 'Empty' || b.state.status === 'Empty') throw new Error('unreachable');
    await updateApplication(deps, { applicationId: a.state.applicationId, changes: { name: 'A2' } }, at());
    await createApplication(deps, input({ name: 'a' }), at());
    expect((await failure(createApplication(deps, input({ name: 'a2' }), at()))).code).to.equal('DUPLICATE_NAME');
    const error = await failure(updateApplication(deps, { applicationId: b.state.applicationId, changes: { name: 'A2' } }, at()));
    expect(error.code).to.equal('DUPLICATE_NAME');
    expect((await loadApplication(fx.store, b.state.applicationId)).state).to.include({ name: 'B' });
  });

  it('refuses moving an application to an unknown organization', async () => {
    const app = await createApplication(deps, input(), at());
    if (app.state.status === 'Empty') throw new Error('unreachable');
    const error = await failure(updateApplication(deps, { applicationId: app.state.applicationId, changes: { organizationId: 'nope' } }, at()));
    expect(error.errors[0]!.field).to.equal('organizationId');
  });

  it('a reservation left by a failed creation blocks the name during its lease, then is taken over', async () => {
    const key = toApplicationNameKey(organizationId, ownerUserId, 'Billing');
    await reserveUniqueKey(deps, { scope: APPLICATION_NAME_SCOPE, key, ownerId: 'crashed-app', field: 'name' }, async () => true, at());
    expect((await failure(createApplication(deps, input(), at(plus(30))))).code).to.equal('DUPLICATE_NAME');
    const result = await createApplication(deps, input(), at(plus(61)));
    expect(result.state).to.include({ name: 'Billing' });
  });

  it('updates with If-Match: a stale revision is STALE_REVISION and writes nothing', async () => {
    const app = await createApplication(deps, input(), at());
    if (app.state.status === 'Empty') throw new Error('unreachable');
    const id = app.state.applicationId;
    const updated = await updateApplication(deps, { applicationId: id, changes: { description: 'x' }, expectedRevision: 0 }, at());
    expect(updated.nextExpectedRevision).to.equal(1);
    const error = await failure(updateApplication(deps, { applicationId: id, changes: { name: 'Z' }, expectedRevision: 0 }, at()));
    expect(error.code).to.equal('STALE_REVISION');
    expect((await loadApplication(fx.store, id)).state).to.include({ name: 'Billing', description: 'x' });
  });

  it('rotates the secret with a grace period: both work until it ends', async () => {
    const app = await createApplication(deps, input(), at());
    if (app.state.status === 'Empty') throw new Error('unreachable');
    const rotation = await rotateApplicationSecret(deps, { applicationId: app.state.applicationId, graceSeconds: 600 }, at());
    expect(rotation.clientSecret).not.to.equal(app.clientSecret);
    const check = (secret: string, now: Date) => validSecretHashes(rotation.state, now).some((h) => verifySecret(secret, h));
    expect([check(rotation.clientSecret, plus(599)), check(app.clientSecret, plus(599))]).to.deep.equal([true, true]);
    expect([check(rotation.clientSecret, plus(600)), check(app.clientSecret, plus(600))]).to.deep.equal([true, false]);
  });

  it('deactivates and activates, idempotently', async () => {
    const app = await createApplication(deps, input(), at());
    if (app.state.status === 'Empty') throw new Error('unreachable');
    const applicationId = app.state.applicationId;
    expect((await setApplicationActive(deps, { applicationId, active: false }, at())).state.status).to.equal('Inactive');
    expect((await setApplicationActive(deps, { applicationId, active: false }, at())).events).to.deep.equal([]);
    expect((await setApplicationActive(deps, { applicationId, active: true }, at())).state.status).to.equal('Active');
  });
});
