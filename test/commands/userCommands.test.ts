import { expect } from 'chai';
import type { CommandDeps } from '../../src/commands/commandDeps.js';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import { loadUser } from '../../src/commands/lookups.js';
import { createOrganization } from '../../src/commands/organizationCommands.js';
import { changeUserPassword, registerUser, type RegisterUserInput } from '../../src/commands/userCommands.js';
import type { CommandMetadata } from '../../src/domain/shared/event.js';
import { verifyPassword } from '../../src/security/passwordHash.js';
import { failure, openSqliteStore, type StoreFixture } from './storeFixture.js';

const at = (): CommandMetadata => ({ actor: 'admin', actorKind: 'user', now: new Date('2025-01-01T00:00:00.000Z'), correlationId: 'c' });

describe('user commands (on the SQLite event store)', () => {
  let fx: StoreFixture;
  let deps: CommandDeps;
  const input = (overrides: Partial<RegisterUserInput> = {}): RegisterUserInput => ({
    username: 'Jane',
    email: 'jane@acme.test',
    password: 'correct horse',
    kind: 'backOffice',
    roles: ['admin'],
    organizationIds: ['org-1'],
    ...overrides,
  });

  beforeEach(async () => {
    fx = await openSqliteStore();
    deps = { store: fx.store, handler: createCommandHandler(fx.store) };
    await createOrganization(deps, { name: 'Acme', organizationId: 'org-1', globalAccess: true }, at());
  });
  afterEach(() => fx.cleanup());

  it('registers a user with an scrypt hash of the password, never the password', async () => {
    const result = await registerUser(deps, input({ userId: 'u1' }), at());
    if (result.state.status === 'Empty') throw new Error('unreachable');
    expect(result.state).to.include({ username: 'Jane', locale: 'en', kind: 'backOffice' });
    expect(await verifyPassword('correct horse', result.state.passwordHash)).to.equal(true);
    expect(JSON.stringify(await fx.store.readAll())).not.to.include('correct horse');
  });

  it('keeps usernames unique, case-insensitively', async () => {
    await registerUser(deps, input(), at());
    const error = await failure(registerUser(deps, input({ username: 'JANE', email: 'other@acme.test' }), at()));
    expect(error).to.include({ code: 'DUPLICATE_NAME' });
    expect(error.errors).to.deep.equal([{ field: 'username', message: 'is already taken' }]);
  });

  it('of two concurrent registrations of one username exactly one wins', async () => {
    const outcomes = await Promise.allSettled([registerUser(deps, input(), at()), registerUser(deps, input({ username: 'jane' }), at())]);
    expect(outcomes.map((o) => o.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
    expect(await fx.store.readAll({ filter: { eventTypes: ['UserRegistered'] } })).to.have.length(1);
  });

  it('reports a bad password together with every other invalid field, and writes nothing', async () => {
    const head = await fx.store.headPosition();
    const error = await failure(registerUser(deps, input({ password: 'short', email: 'nope', kind: 'customer' }), at()));
    expect(error.code).to.equal('VALIDATION');
    expect(error.errors.map((e) => e.field)).to.deep.equal(['password', 'email', 'roles']);
    expect(await fx.store.headPosition()).to.equal(head);
  });

  it('refuses an unknown organization', async () => {
    const error = await failure(registerUser(deps, input({ organizationIds: ['org-1', 'org-x'] }), at()));
    expect(error.errors).to.deep.equal([{ field: 'organizationIds', message: 'unknown organization org-x' }]);
  });

  it('changes the password', async () => {
    await registerUser(deps, input({ userId: 'u1' }), at());
    await changeUserPassword(deps, { userId: 'u1', password: 'a new passphrase' }, at());
    const { state } = await loadUser(fx.store, 'u1');
    if (state.status === 'Empty') throw new Error('unreachable');
    expect(await verifyPassword('a new passphrase', state.passwordHash)).to.equal(true);
    expect(await verifyPassword('correct horse', state.passwordHash)).to.equal(false);
    expect((await failure(changeUserPassword(deps, { userId: 'u1', password: 'x' }, at()))).code).to.equal('VALIDATION');
    expect((await failure(changeUserPassword(deps, { userId: 'nobody', password: 'long enough' }, at()))).code).to.equal('NOT_FOUND');
  });
});
