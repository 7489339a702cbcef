import { DomainError } from '../shared/domainError.js';
import { assertNever, type Decider } from '../shared/event.js';
import { ignoreUnknownEvent } from '../shared/unknownEvent.js';
import { createValidator, isNonEmptyString, sameMembers, unique } from '../shared/validation.js';
import type { RegisterUser, UpdateUserProfile, UserCommand } from './userCommands.js';
import type { UserEvent, UserProfileUpdated, UserRegistered, UserRole, UserState } from './userEvents.js';
import {
  USER_KINDS,
  checkOrganizationIds,
  checkRoles,
  isValidEmail,
  isValidLocale,
  isValidUsername,
} from './userValidation.js';

export type RegisteredUser = Exclude<UserState, { status: 'Empty' }>;

export const initialUserState = (): UserState => ({ status: 'Empty' });

const registered = (state: UserState): RegisteredUser => {
  if (state.status === 'Empty') throw new DomainError('NOT_FOUND', 'User not found');
  return state;
};

const register = (command: RegisterUser, state: UserState): UserRegistered[] => {
  if (state.status !== 'Empty') throw new DomainError('ALREADY_EXISTS', 'User already exists');
  const d = command.data;
  const locale = d.locale ?? 'en';
  const v = createValidator();
  v.check(isNonEmptyString(d.userId), 'userId', 'is required');
  const kindOk = v.check(USER_KINDS.includes(d.kind), 'kind', `must be one of ${USER_KINDS.join(', ')}`);
  v.check(isValidUsername(d.username), 'username', 'must be 1 to 255 characters among A-Z a-z 0-9 . _ @ -');
  v.check(isValidEmail(d.email), 'email', 'must be an email address');
  v.check(isValidLocale(locale), 'locale', 'must look like en, en_US or en-US');
  if (kindOk) checkRoles(v, d.roles, d.kind);
  checkOrganizationIds(v, d.organizationIds);
  v.check(isNonEmptyString(d.passwordHash), 'passwordHash', 'is required');
  v.throwIfInvalid('Invalid user');
  return [
    {
      type: 'UserRegistered',
      data: {
        userId: d.userId,
        kind: d.kind,
        username: d.username,
        email: d.email,
        locale,
        roles: unique(d.roles),
        organizationIds: unique(d.organizationIds),
        passwordHash: d.passwordHash,
      },
    },
  ];
};

const updateProfile = (command: UpdateUserProfile, user: RegisteredUser): UserProfileUpdated[] => {
  const d = command.data;
  const v = createValidator();
  if (d.email !== undefined) v.check(isValidEmail(d.email), 'email', 'must be an email address');
  if (d.locale !== undefined) v.check(isValidLocale(d.locale), 'locale', 'must look like en, en_US or en-US');
  if (d.organizationIds !== undefined) checkOrganizationIds(v, d.organizationIds);
  v.throwIfInvalid('Invalid user profile');
  const changes: UserProfileUpdated['data']['changes'] = {};
  if (d.email !== undefined && d.email !== user.email) changes.email = { from: user.email, to: d.email };
  if (d.locale !== undefined && d.locale !== user.locale) changes.locale = { from: user.locale, to: d.locale };
  if (d.organizationIds !== undefined && !sameMembers(d.organizationIds, user.organizationIds)) {
    changes.organizationIds = { from: user.organizationIds, to: unique(d.organizationIds) };
  }
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'UserProfileUpdated', data: { userId: user.userId, changes } }];
};

const validLimit = (limit: unknown): number => {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new DomainError('VALIDATION', 'limit must be a positive integer', [
      { field: 'limit', message: 'must be a positive integer' },
    ]);
  }
  return limit;
};

/**
 * Enable/disable/lock/unlock are idempotent (no event when nothing changes).
 * Login bookkeeping: a failure is always recorded; reaching the limit locks the account in
 * the same decision, so no request can slip in between the count and the lock.
 */
export const decideUser = (command: UserCommand, state: UserState): UserEvent[] => {
  if (command.type === 'RegisterUser') return register(command, state);
  const user = registered(state);
  const { userId } = user;
  switch (command.type) {
    case 'ChangePassword': {
      if (!isNonEmptyString(command.data.passwordHash)) {
        throw new DomainError('VALIDATION', 'passwordHash is required', [{ field: 'passwordHash', message: 'is required' }]);
      }
      return [{ type: 'UserPasswordChanged', data: { userId, passwordHash: command.data.passwordHash } }];
    }
    case 'UpdateUserProfile':
      return updateProfile(command, user);
    case 'EnableUser':
      return user.enabled ? [] : [{ type: 'UserEnabled', data: { userId } }];
    case 'DisableUser':
      return user.enabled ? [{ type: 'UserDisabled', data: { userId } }] : [];
    case 'LockUser':
      return user.locked ? [] : [{ type: 'UserLocked', data: { userId, reason: 'administrator' } }];
    case 'UnlockUser':
      if (user.locked) return [{ type: 'UserUnlocked', data: { userId } }];
      return user.loginFailures > 0 ? [{ type: 'UserLoginFailuresReset', data: { userId } }] : [];
    case 'ChangeUserRoles': {
      const v = createValidator();
      checkRoles(v, command.data.roles, user.kind);
      v.throwIfInvalid('Invalid roles');
      const roles: UserRole[] = unique(command.data.roles);
      if (sameMembers(roles, user.roles)) return [];
      return [{ type: 'UserRolesChanged', data: { userId, roles, previousRoles: user.roles } }];
    }
    case 'RecordLoginFailure': {
      const limit = validLimit(command.data.limit);
      const failures = user.loginFailures + 1;
      const failed: UserEvent = { type: 'UserLoginFailed', data: { userId, failures } };
      if (failures >= limit && !user.locked) {
        return [failed, { type: 'UserLocked', data: { userId, reason: 'loginFailures' } }];
      }
      return [failed];
    }
    case 'RecordLoginSuccess':
      return user.loginFailures > 0 ? [{ type: 'UserLoginFailuresReset', data: { userId } }] : [];
    case 'RecordSignIn':
      return [{ type: 'UserSignedIn', data: { userId, via: command.data.via } }];
    case 'RecordSignOut':
      return [{ type: 'UserSignedOut', data: { userId, via: command.data.via, reason: command.data.reason } }];
    default:
      return assertNever(command);
  }
};

export const evolveUser = (state: UserState, event: UserEvent): UserState => {
  if (event.type === 'UserRegistered') {
    return { status: 'Registered', ...event.data, enabled: true, locked: false, loginFailures: 0 };
  }
  if (state.status === 'Empty') return state;
  switch (event.type) {
    case 'UserPasswordChanged':
      return { ...state, passwordHash: event.data.passwordHash };
    case 'UserProfileUpdated': {
      const { email, locale, organizationIds } = event.data.changes;
      return {
        ...state,
        ...(email && { email: email.to }),
        ...(locale && { locale: locale.to }),
        ...(organizationIds && { organizationIds: organizationIds.to }),
      };
    }
    case 'UserEnabled':
      return { ...state, enabled: true };
    case 'UserDisabled':
      return { ...state, enabled: false };
    case 'UserLocked':
      return { ...state, locked: true };
    case 'UserUnlocked':
      return { ...state, locked: false, loginFailures: 0 };
    case 'UserRolesChanged':
      return { ...state, roles: event.data.roles };
    case 'UserLoginFailed':
      return { ...state, loginFailures: event.data.failures };
    case 'UserLoginFailuresReset':
      return { ...state, loginFailures: 0 };
    case 'UserSignedIn':
    case 'UserSignedOut':
      return state;
    default:
      return ignoreUnknownEvent(event, state);
  }
};

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  decide: decideUser,
  evolve: evolveUser,
  initialState: initialUserState,
};
