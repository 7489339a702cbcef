import { DomainError } from '../shared/domainError.js';
import { assertNever, type Decider } from '../shared/event.js';
import { occurredAtOf, type MaybeTimed } from '../shared/eventTime.js';
import { ignoreUnknownEvent } from '../shared/unknownEvent.js';
import { createValidator, isNonEmptyString, sameMembers, unique } from '../shared/validation.js';
import type { RegisterUser, UpdateUserProfile, UserCommand } from './userCommands.js';
import type { UserEvent, UserProfileUpdated, UserRegistered, UserRole, UserState } from './userEvents.js';
import { decideLoginFailure, decideLoginSuccess, decideUnlock } from './loginAttempts.js';
import { endsSessions } from './userSessions.js';
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

/**
 * Enable/disable/lock/unlock are idempotent (no event when nothing changes).
 * Login bookkeeping (failures, temporary lockouts) is decided in loginAttempts.ts.
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
      return decideUnlock(command, user);
    case 'ChangeUserRoles': {
      const v = createValidator();
      checkRoles(v, command.data.roles, user.kind);
      v.throwIfInvalid('Invalid roles');
      const roles: UserRole[] = unique(command.data.roles);
      if (sameMembers(roles, user.roles)) return [];
      return [{ type: 'UserRolesChanged', data: { userId, roles, previousRoles: user.roles } }];
    }
    case 'RecordLoginFailure':
      return decideLoginFailure(command, user);
    case 'RecordLoginSuccess':
      return decideLoginSuccess(command, user);
    case 'RecordSignIn':
      return [{ type: 'UserSignedIn', data: { userId, via: command.data.via } }];
    case 'RecordSignOut':
      return [{ type: 'UserSignedOut', data: { userId, via: command.data.via, reason: command.data.reason } }];
    default:
      return assertNever(command);
  }
};

/**
 * Recorded events carry their time (metadata.occurredAt): it dates the last failure (for the
 * quiet period) and the end of sessions. A first-release `UserLocked {reason:'loginFailures'}`
 * folds as a temporary lockout that is over: under this release's rules only an
 * administrator's lock stops everything, and the lockout still makes the next one wait longer.
 */
export const evolveUser = (state: UserState, event: UserEvent & MaybeTimed): UserState => {
  if (event.type === 'UserRegistered') {
    return {
      status: 'Registered',
      ...event.data,
      enabled: true,
      locked: false,
      loginFailures: 0,
      lastLoginFailureAt: null,
      lockouts: 0,
      lockedOutUntil: null,
      sessionsNotBefore: null,
    };
  }
  if (state.status === 'Empty') return state;
  const at = occurredAtOf(event);
  const next = evolveRegistered(state, event, at);
  return at !== undefined && endsSessions(event, state) ? { ...next, sessionsNotBefore: at } : next;
};

const evolveRegistered = (state: RegisteredUser, event: UserEvent, at: string | undefined): RegisteredUser => {
  switch (event.type) {
    case 'UserRegistered':
      return state;
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
      if (event.data.reason === 'loginFailures') {
        return { ...state, loginFailures: 0, lockouts: Math.max(1, state.lockouts), lockedOutUntil: null };
      }
      return { ...state, locked: true };
    case 'UserUnlocked':
      return { ...state, locked: false, loginFailures: 0, lockouts: 0, lockedOutUntil: null };
    case 'UserRolesChanged':
      return { ...state, roles: event.data.roles };
    case 'UserLoginFailed':
      return { ...state, loginFailures: event.data.failures, lastLoginFailureAt: at ?? state.lastLoginFailureAt };
    case 'UserLoginFailuresReset':
      return { ...state, loginFailures: 0, lockouts: 0 };
    case 'UserLockedOut':
      return { ...state, loginFailures: 0, lockouts: event.data.lockouts, lockedOutUntil: event.data.until };
    case 'UserLockoutEnded':
      return { ...state, lockedOutUntil: null };
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
