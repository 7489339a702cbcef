import { expect } from 'chai';
import type { CommandDeps } from '../../src/commands/commandDeps.js';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import { createOrganization, updateOrganization } from '../../src/commands/organizationCommands.js';
import { registerUser } from '../../src/commands/userCommands.js';
import { updateUser } from '../../src/commands/userUpdateCommands.js';
import type { CommandMetadata } from '../../src/domain/shared/event.js';
import { failure, openSqliteStore, type StoreFixture } from './storeFixture.js';

const at = (): CommandMetadata => ({ actor: 'admin', actorKind: 'user', now: new Date('2025-01-01T00:00:00.000Z'), correlationId: 'c' });

describe('user and organization edit services: the one write path (on the SQLite event store)', () => {
  let fx: StoreFixture;
  let deps: CommandDeps;

  beforeEach(async () => {
    fx = await openSqliteStore();
    deps = { store: fx.store, handler: createCommandHandler(fx.store) };
    await createOrganization(deps, { name: 'Acme', organizationId: 'org-1' }, at());
    await registerUser(deps, { userId: 'u1', username: 'jane', email: 'jane@acme.test', password: 'correct horse', kind: 'backOffice', roles: ['user'], organizationIds: ['org-1'] }, at());
  });
  afterEach(() => fx.cleanup());

  const streamLength = async () => (await fx.store.readStream('user-u1')).length;

  it('given an unknown organization, when a user is edited, then VALIDATION naming organizationIds and nothing is appended', async () => {
    const before = await streamLength();
    const error = await failure(updateUser(deps, { userId: 'u1', changes: { organizationIds: ['no-such-org'], locale: 'de' } }, at()));
    expect(error.code).to.equal('VALIDATION');
    expect(error.errors.map((e) => e.field)).to.deep.equal(['organizationIds']);
    expect(await streamLength()).to.equal(before);
  });

  it('given one\'s own password change, then the current password is required and checked', async () => {
    const change = (currentPassword?: string) =>
      updateUser(deps, { userId: 'u1', changes: { password: 'a new passphrase' }, requireCurrentPassword: true, currentPassword }, at());
    expect((await failure(change())).errors.map((e) => e.field)).to.deep.equal(['currentPassword']);
    expect((await failure(change('wrong password'))).code).to.equal('FORBIDDEN');
    const result = await change('correct horse');
    expect(result.events.map((e) => e.type)).to.deep.equal(['UserPasswordChanged']);
  });

  it('given several changes, then they land in one append', async () => {
    const result = await updateUser(deps, { userId: 'u1', changes: { locale: 'de', enabled: false, roles: ['admin'] } }, at());
    expect(result.events.map((e) => e.type)).to.deep.equal(['UserProfileUpdated', 'UserRolesChanged', 'UserDisabled']);
    expect(new Set(result.events.map((e) => e.position)).size).to.equal(3);
  });

  it('given an organization rename and disable, then one append through updateOrganization', async () => {
    const result = await updateOrganization(deps, { organizationId: 'org-1', name: 'Acme 2', enabled: false }, at());
    expect(result.events.map((e) => e.type)).to.have.length(2);
    expect(result.state).to.deep.include({ name: 'Acme 2', status: 'Disabled' });
  });
});
