import { expect } from 'chai';
import type { RegisterUser, UserCommand } from '../../../src/domain/user/userCommands.js';
import { userDecider } from '../../../src/domain/user/userDecider.js';
import type { UserEvent, UserRegistered } from '../../../src/domain/user/userEvents.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { metadataAt } from '../metadata.js';

const given = DeciderSpecification.for(userDecider);
const metadata = metadataAt();
const userId = 'user-1';
const registration: RegisterUser['data'] = {
  userId,
  kind: 'backOffice',
  username: 'jane.doe@acme',
  email: 'jane@acme.test',
  roles: ['admin', 'user'],
  organizationIds: ['org-1'],
  passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
};
const register = (overrides: Partial<RegisterUser['data']> = {}): UserCommand => ({
  type: 'RegisterUser',
  data: { ...registration, ...overrides },
  metadata,
});
const registered: UserRegistered = {
  type: 'UserRegistered',
  data: { ...registration, locale: 'en' },
};
const command = <T extends UserCommand['type']>(type: T, data: object = {}): UserCommand =>
  ({ type, data: { userId, ...data }, metadata }) as UserCommand;
const failed = (failures: number): UserEvent => ({ type: 'UserLoginFailed', data: { userId, failures } });
const locked = (reason: 'loginFailures' | 'administrator'): UserEvent => ({ type: 'UserLocked', data: { userId, reason } });

const fieldsOf = (errors: { field: string }[]): string[] => errors.map((e) => e.field);

describe('user decider', () => {
  describe('RegisterUser', () => {
    it('registers a user with the default locale en', () => given([]).when(register()).then([registered]));

    it('keeps a given locale in either form', () => {
      for (const locale of ['fr', 'en_US', 'pt-BR', 'es-419']) {
        given([]).when(register({ locale })).then([{ type: 'UserRegistered', data: { ...registration, locale } }]);
      }
    });

    it('starts enabled, unlocked, with no login failures', () =>
      given([]).when(register()).thenState((s) =>
        expect(s).to.include({ status: 'Registered', enabled: true, locked: false, loginFailures: 0 }),
      ));

    it('reports every invalid field at once', () => {
      const error = given([])
        .when(register({ username: 'jane doe', email: 'not-an-email', locale: 'english', roles: [], organizationIds: [] }))
        .thenThrows('VALIDATION');
      expect(fieldsOf(error.errors)).to.deep.equal(['username', 'email', 'locale', 'roles', 'organizationIds']);
    });

    it('refuses bad usernames: empty, 256 characters, spaces, slashes', () => {
      for (const username of ['', 'x'.repeat(256), 'a b', 'a/b', 'ä']) {
        given([]).when(register({ username })).thenThrows((e) => fieldsOf(e.errors).includes('username'));
      }
      given([]).when(register({ username: 'x'.repeat(255) })).thenState((s) => expect(s.status).to.equal('Registered'));
    });

    it('refuses bad email addresses', () => {
      for (const email of ['', 'a@', '@b.test', 'a b@c.test', 'a@b', `${'x'.repeat(250)}@b.test`]) {
        given([]).when(register({ email })).thenThrows((e) => fieldsOf(e.errors).includes('email'));
      }
    });

    it('refuses an unknown kind or role', () => {
      given([]).when(register({ kind: 'robot' as never })).thenThrows((e) => fieldsOf(e.errors).includes('kind'));
      given([]).when(register({ roles: ['root' as never] })).thenThrows((e) => fieldsOf(e.errors).includes('roles'));
    });

    it('refuses a customer administrator', () => {
      const error = given([]).when(register({ kind: 'customer', roles: ['admin'] })).thenThrows('VALIDATION');
      expect(error.errors).to.deep.equal([{ field: 'roles', message: 'customers cannot be administrators' }]);
    });

    it('registers a customer user', () =>
      given([]).when(register({ kind: 'customer', roles: ['user'] })).thenState((s) => expect(s).to.include({ kind: 'customer' })));

    it('removes duplicate roles and organizations', () =>
      given([])
        .when(register({ roles: ['user', 'user'], organizationIds: ['o', 'o'] }))
        .thenState((s) => expect(s).to.deep.include({ roles: ['user'], organizationIds: ['o'] })));

    it('refuses a missing password hash', () => given([]).when(register({ passwordHash: '' })).thenThrows('VALIDATION'));

    it('refuses a second registration', () => given([registered]).when(register()).thenThrows('ALREADY_EXISTS'));
  });

  it('is NOT_FOUND for every command on an unknown user', () => {
    for (const type of ['ChangePassword', 'EnableUser', 'DisableUser', 'LockUser', 'UnlockUser', 'RecordLoginSuccess'] as const) {
      given([]).when(command(type, { passwordHash: 'h' })).thenThrows('NOT_FOUND');
    }
  });

  describe('ChangePassword', () => {
    it('records the new hash', () =>
      given([registered]).when(command('ChangePassword', { passwordHash: 'new' })).then([
        { type: 'UserPasswordChanged', data: { userId, passwordHash: 'new' } },
      ]));
    it('refuses an empty hash', () => given([registered]).when(command('ChangePassword', { passwordHash: '' })).thenThrows('VALIDATION'));
  });

  describe('UpdateUserProfile', () => {
    it('records only the fields that changed, with old and new values', () =>
      given([registered])
        .when(command('UpdateUserProfile', { email: 'jane@new.test', locale: 'en', organizationIds: ['org-1', 'org-2'] }))
        .then([
          {
            type: 'UserProfileUpdated',
            data: {
              userId,
              changes: {
                email: { from: 'jane@acme.test', to: 'jane@new.test' },
                organizationIds: { from: ['org-1'], to: ['org-1', 'org-2'] },
              },
            },
          },
        ]));

    it('records nothing when nothing changed', () =>
      given([registered]).when(command('UpdateUserProfile', { email: 'jane@acme.test', organizationIds: ['org-1'] })).thenNothingHappened());

    it('refuses invalid values', () => {
      const error = given([registered])
        .when(command('UpdateUserProfile', { email: 'x', locale: 'xx_yy_zz', organizationIds: [] }))
        .thenThrows('VALIDATION');
      expect(fieldsOf(error.errors)).to.deep.equal(['email', 'locale', 'organizationIds']);
    });

    it('evolves to the new values', () =>
      given([registered])
        .when(command('UpdateUserProfile', { locale: 'de_DE' }))
        .thenState((s) => expect(s).to.include({ locale: 'de_DE', email: 'jane@acme.test' })));
  });

  describe('enable, disable, lock, unlock', () => {
    const disabled: UserEvent = { type: 'UserDisabled', data: { userId } };
    it('disables, then is idempotent', () => {
      given([registered]).when(command('DisableUser')).then([disabled]);
      given([registered, disabled]).when(command('DisableUser')).thenNothingHappened();
    });
    it('enables a disabled user, idempotent when enabled', () => {
      given([registered, disabled]).when(command('EnableUser')).then([{ type: 'UserEnabled', data: { userId } }]);
      given([registered]).when(command('EnableUser')).thenNothingHappened();
    });
    it('locks by an administrator, idempotent when locked', () => {
      given([registered]).when(command('LockUser')).then([locked('administrator')]);
      given([registered, locked('administrator')]).when(command('LockUser')).thenNothingHappened();
    });
    it('unlocks and forgets the login failures', () => {
      given([registered, failed(1), failed(2), locked('administrator')]).when(command('UnlockUser')).then([
        { type: 'UserUnlocked', data: { userId } },
      ]);
      given([registered, failed(1), failed(2), locked('administrator')])
        .when(command('UnlockUser'))
        .thenState((s) => expect(s).to.include({ locked: false, loginFailures: 0 }));
    });
    it('on an unlocked user, unlock resets failures if any, else does nothing', () => {
      given([registered, failed(1)]).when(command('UnlockUser')).then([{ type: 'UserLoginFailuresReset', data: { userId } }]);
      given([registered]).when(command('UnlockUser')).thenNothingHappened();
    });
    it("given a first-release lock after login failures, then it folds as a lockout that is over, not an administrator's lock", () => {
      given([registered, failed(1), failed(2), locked('loginFailures')])
        .when(command('LockUser'))
        .then([locked('administrator')]);
      given([registered, failed(1), failed(2), locked('loginFailures')])
        .when(command('RecordLoginSuccess'))
        .thenState((s) => expect(s).to.include({ locked: false, loginFailures: 0, lockouts: 0, lockedOutUntil: null }));
      given([registered, failed(1), failed(2), locked('loginFailures')])
        .when(command('UnlockUser'))
        .then([{ type: 'UserLoginFailuresReset', data: { userId } }]);
    });
  });

  describe('ChangeUserRoles', () => {
    it('records new and previous roles', () =>
      given([registered]).when(command('ChangeUserRoles', { roles: ['user'] })).then([
        { type: 'UserRolesChanged', data: { userId, roles: ['user'], previousRoles: ['admin', 'user'] } },
      ]));
    it('records nothing for the same set in another order', () =>
      given([registered]).when(command('ChangeUserRoles', { roles: ['user', 'admin'] })).thenNothingHappened());
    it('refuses no roles, unknown roles and customer administrators', () => {
      given([registered]).when(command('ChangeUserRoles', { roles: [] })).thenThrows('VALIDATION');
      given([registered]).when(command('ChangeUserRoles', { roles: ['owner'] })).thenThrows('VALIDATION');
      const customer: UserRegistered = { type: 'UserRegistered', data: { ...registered.data, kind: 'customer', roles: ['user'] } };
      given([customer]).when(command('ChangeUserRoles', { roles: ['admin'] })).thenThrows('VALIDATION');
    });
  });

  describe('the auditor role (read-only)', () => {
    it('given a registration as auditor, then it is recorded with that role alone', () =>
      given([]).when(register({ roles: ['auditor'] })).then([{ type: 'UserRegistered', data: { ...registration, roles: ['auditor'], locale: 'en' } }]));

    it('given an administrator, when their roles become auditor, then the change is recorded with the previous roles', () =>
      given([registered]).when(command('ChangeUserRoles', { roles: ['auditor'] })).then([
        { type: 'UserRolesChanged', data: { userId, roles: ['auditor'], previousRoles: ['admin', 'user'] } },
      ]));

    it('given auditor with another role, then refused naming roles: read-only cannot be combined', () => {
      for (const roles of [['auditor', 'admin'], ['user', 'auditor']] as const) {
        const error = given([]).when(register({ roles: [...roles] })).thenThrows('VALIDATION');
        expect(error.errors).to.deep.equal([{ field: 'roles', message: 'auditor is read-only and cannot be combined with other roles' }]);
        given([registered]).when(command('ChangeUserRoles', { roles: [...roles] })).thenThrows('VALIDATION');
      }
    });

    it('given a customer, then auditor is refused naming roles', () => {
      const error = given([]).when(register({ kind: 'customer', roles: ['auditor'] })).thenThrows('VALIDATION');
      expect(error.errors).to.deep.equal([{ field: 'roles', message: 'customers cannot be auditors' }]);
    });
  });

  describe('login failures (see loginLockout.test.ts for lockouts)', () => {
    const policy = { failureLimit: 10, waitSeconds: 60, maxWaitSeconds: 900, failureResetSeconds: 43200 };
    const fail = (failureLimit = 10) => command('RecordLoginFailure', { policy: { ...policy, failureLimit } });
    it('counts consecutive failures', () => given([registered, failed(1)]).when(fail()).then([failed(2)]));

    it('refuses a policy whose numbers are not positive integers', () => {
      for (const failureLimit of [0, -1, 1.5, Number.NaN]) given([registered]).when(fail(failureLimit)).thenThrows('VALIDATION');
    });

    it('a success resets a non-zero count', () =>
      given([registered, failed(1)]).when(command('RecordLoginSuccess')).then([{ type: 'UserLoginFailuresReset', data: { userId } }]));

    it('a success with no failures records nothing', () =>
      given([registered]).when(command('RecordLoginSuccess')).thenNothingHappened());

    it('after a reset the count starts again from one', () =>
      given([registered, failed(1), failed(2), { type: 'UserLoginFailuresReset', data: { userId } }]).when(fail()).then([failed(1)]));
  });
});

describe('user decider: console sign-in and sign-out', () => {
  it('given a registered user, when a sign-in is recorded, then UserSignedIn via the console', () =>
    given([registered])
      .when(command('RecordSignIn', { via: 'console' }))
      .then([{ type: 'UserSignedIn', data: { userId, via: 'console' } }]));

  it('given a registered user, when a sign-out is recorded, then UserSignedOut with its reason', () =>
    given([registered])
      .when(command('RecordSignOut', { via: 'console', reason: 'expired' }))
      .then([{ type: 'UserSignedOut', data: { userId, via: 'console', reason: 'expired' } }]));

  it('given no user, when a sign-in is recorded, then it is refused', () =>
    given([]).when(command('RecordSignIn', { via: 'console' })).thenThrows('NOT_FOUND'));

  it('given sign-ins and sign-outs, then the state is unchanged (history only)', () => {
    const state = [registered, { type: 'UserSignedIn', data: { userId, via: 'console' } }, { type: 'UserSignedOut', data: { userId, via: 'console', reason: 'signOut' } }]
      .reduce((s, e) => userDecider.evolve(s, e as UserEvent), userDecider.initialState());
    expect(state).to.deep.equal(userDecider.evolve(userDecider.initialState(), registered));
  });
});
