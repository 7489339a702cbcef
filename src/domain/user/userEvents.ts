import type { Event } from '../shared/event.js';

export type UserKind = 'backOffice' | 'customer';
/**
 * `admin` manages its organizations, `user` manages their own applications, `auditor` reads
 * everything an administrator of the same organizations reads and changes nothing (DESIGN §6;
 * src/authorization/readOnlyAccess.ts). Declared once: validation, zod and OpenAPI take it from here.
 */
export const USER_ROLES = ['admin', 'user', 'auditor'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export type UserRegistered = Event<
  'UserRegistered',
  {
    userId: string;
    kind: UserKind;
    username: string;
    email: string;
    locale: string;
    roles: UserRole[];
    organizationIds: string[];
    /** scrypt hash in PHC-like form; never the password. */
    passwordHash: string;
  }
>;
export type UserPasswordChanged = Event<'UserPasswordChanged', { userId: string; passwordHash: string }>;
export type UserProfileUpdated = Event<
  'UserProfileUpdated',
  {
    userId: string;
    /** Only the fields that changed, with old and new values. */
    changes: Partial<{
      email: { from: string; to: string };
      locale: { from: string; to: string };
      organizationIds: { from: string[]; to: string[] };
    }>;
  }
>;
export type UserEnabled = Event<'UserEnabled', { userId: string }>;
export type UserDisabled = Event<'UserDisabled', { userId: string }>;
/**
 * An administrator's lock: stops everything (sign-ins, existing tokens, the user's
 * client_credentials applications). `reason: 'loginFailures'` was the first release's
 * brute-force lock; it now folds as a temporary lockout that is over (userDecider).
 */
export type UserLocked = Event<'UserLocked', { userId: string; reason: 'loginFailures' | 'administrator' }>;
export type UserUnlocked = Event<'UserUnlocked', { userId: string }>;
export type UserRolesChanged = Event<
  'UserRolesChanged',
  { userId: string; roles: UserRole[]; previousRoles: UserRole[] }
>;
/** A failed password-grant login; `failures` is the consecutive count including this one. */
export type UserLoginFailed = Event<'UserLoginFailed', { userId: string; failures: number }>;
/**
 * Emitted only when it resets a non-zero failure or lockout count: a successful sign-in, an
 * administrator's unlock, or the next failure after a quiet period (LOGIN_FAILURE_RESET_AFTER).
 */
export type UserLoginFailuresReset = Event<'UserLoginFailuresReset', { userId: string }>;
/** A session began through a first-party client (the console); the audit trail of sign-ins. */
export type UserSignedIn = Event<'UserSignedIn', { userId: string; via: SignInChannel }>;
/** A session ended: the user signed out, or it expired or was refused by the bearer checks. */
export type UserSignedOut = Event<'UserSignedOut', { userId: string; via: SignInChannel; reason: SignOutReason }>;
/** `authorize`: a storefront user's sign-in at the authorization endpoint (an authorize-only session). */
export type SignInChannel = 'console' | 'authorize';
export type SignOutReason = 'signOut' | 'expired' | 'refused';
/**
 * A temporary lockout (brute-force protection): password sign-ins are refused until `until`
 * (ISO); existing tokens and the user's client_credentials applications keep working.
 * `lockouts` counts consecutive lockouts (this one included); the wait grows with it.
 */
export type UserLockedOut = Event<
  'UserLockedOut',
  { userId: string; failures: number; lockouts: number; waitSeconds: number; until: string }
>;
/**
 * A temporary lockout is over. Its end is known from `until` at read time; this event records
 * it in the history at the first sign-in decided after that moment (`until` repeats the end).
 */
export type UserLockoutEnded = Event<'UserLockoutEnded', { userId: string; until: string }>;

export type UserEvent =
  | UserRegistered
  | UserPasswordChanged
  | UserProfileUpdated
  | UserEnabled
  | UserDisabled
  | UserLocked
  | UserUnlocked
  | UserRolesChanged
  | UserLoginFailed
  | UserLoginFailuresReset
  | UserSignedIn
  | UserSignedOut
  | UserLockedOut
  | UserLockoutEnded;

export type UserState =
  | { status: 'Empty' }
  | {
      status: 'Registered';
      userId: string;
      kind: UserKind;
      username: string;
      email: string;
      locale: string;
      roles: UserRole[];
      organizationIds: string[];
      passwordHash: string;
      enabled: boolean;
      /** Locked by an administrator (stops everything). */
      locked: boolean;
      /** Consecutive failed sign-ins counting towards the next lockout. */
      loginFailures: number;
      /** When the last failure was recorded (ISO), for the quiet period; null: none counting. */
      lastLoginFailureAt: string | null;
      /** Consecutive temporary lockouts since the last success or quiet period. */
      lockouts: number;
      /** End (ISO) of the last temporary lockout while its end is not recorded; null: none. */
      lockedOutUntil: string | null;
      /**
       * Sessions (password sign-ins and the refresh tokens and access tokens they produced)
       * that started at or before this instant (ISO) are over: set by a password change,
       * disabling, an administrator's lock and removal from an organization (userSessions.ts).
       */
      sessionsNotBefore: string | null;
    };
