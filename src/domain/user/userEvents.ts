import type { Event } from '../shared/event.js';

export type UserKind = 'backOffice' | 'customer';
export type UserRole = 'admin' | 'user';

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
export type UserLocked = Event<'UserLocked', { userId: string; reason: 'loginFailures' | 'administrator' }>;
export type UserUnlocked = Event<'UserUnlocked', { userId: string }>;
export type UserRolesChanged = Event<
  'UserRolesChanged',
  { userId: string; roles: UserRole[]; previousRoles: UserRole[] }
>;
/** A failed password-grant login; `failures` is the consecutive count including this one. */
export type UserLoginFailed = Event<'UserLoginFailed', { userId: string; failures: number }>;
/** Emitted only when it resets a non-zero failure count. */
export type UserLoginFailuresReset = Event<'UserLoginFailuresReset', { userId: string }>;
/** A session began through a first-party client (the console); the audit trail of sign-ins. */
export type UserSignedIn = Event<'UserSignedIn', { userId: string; via: SignInChannel }>;
/** A session ended: the user signed out, or it expired or was refused by the bearer checks. */
export type UserSignedOut = Event<'UserSignedOut', { userId: string; via: SignInChannel; reason: SignOutReason }>;
export type SignInChannel = 'console';
export type SignOutReason = 'signOut' | 'expired' | 'refused';

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
  | UserSignedOut;

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
      locked: boolean;
      loginFailures: number;
    };
