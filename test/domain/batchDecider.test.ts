import { expect } from 'chai';
import { batchDecider } from '../../src/domain/shared/batchDecider.js';
import { DomainError } from '../../src/domain/shared/domainError.js';
import { userDecider } from '../../src/domain/user/userDecider.js';
import type { UserCommand } from '../../src/domain/user/userCommands.js';
import type { UserEvent } from '../../src/domain/user/userEvents.js';
import { DeciderSpecification } from '../support/deciderSpecification.js';

const metadata = { actor: 'admin', actorKind: 'user' as const, now: new Date('2026-01-01T00:00:00Z'), correlationId: 'c' };
const registered: UserEvent = {
  type: 'UserRegistered',
  data: { userId: 'u1', kind: 'backOffice', username: 'ann', email: 'ann@example.com', locale: 'en', roles: ['user'], organizationIds: ['o1'], passwordHash: 'scrypt$x' },
};

describe('batch decider (several commands, one append)', () => {
  const given = DeciderSpecification.for(batchDecider(userDecider));
  const batch = (...commands: UserCommand[]) => ({ metadata, commands });

  it('given a user, when roles change and the user is locked in one batch, then both events are decided in order', () =>
    given([registered])
      .when(batch(
        { type: 'ChangeUserRoles', data: { userId: 'u1', roles: ['admin'] }, metadata },
        { type: 'LockUser', data: { userId: 'u1' }, metadata },
      ))
      .then([
        { type: 'UserRolesChanged', data: { userId: 'u1', roles: ['admin'], previousRoles: ['user'] } },
        { type: 'UserLocked', data: { userId: 'u1', reason: 'administrator' } },
      ]));

  it('given a batch whose second command is invalid, then nothing is decided (the whole batch fails)', () =>
    given([registered])
      .when(batch(
        { type: 'ChangeUserRoles', data: { userId: 'u1', roles: ['admin'] }, metadata },
        { type: 'UpdateUserProfile', data: { userId: 'u1', email: 'not-an-email' }, metadata },
      ))
      .thenThrows((e: unknown) => e instanceof DomainError && e.code === 'VALIDATION'));

  it('decides each command on the state the previous ones left', () => {
    const events = batchDecider(userDecider).decide(
      batch(
        { type: 'LockUser', data: { userId: 'u1' }, metadata },
        { type: 'LockUser', data: { userId: 'u1' }, metadata },
      ),
      [registered].reduce(userDecider.evolve, userDecider.initialState()),
    );
    expect(events.map((e) => e.type)).to.deep.equal(['UserLocked']);
  });
});
