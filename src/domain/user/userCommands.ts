import type { Command } from '../shared/event.js';
import type { LoginLockoutPolicy } from './loginLockout.js';
import type { SignInChannel, SignOutReason, UserKind, UserRole } from './userEvents.js';

export type RegisterUser = Command<
  'RegisterUser',
  {
    userId: string;
    kind: UserKind;
    username: string;
    email: string;
    /** Default 'en'. */
    locale?: string;
    roles: UserRole[];
    organizationIds: string[];
    /** Made by src/security/passwordHash.ts before decide; the password never reaches the domain. */
    passwordHash: string;
  }
>;
export type ChangePassword = Command<'ChangePassword', { userId: string; passwordHash: string }>;
export type UpdateUserProfile = Command<
  'UpdateUserProfile',
  { userId: string; email?: string; locale?: string; organizationIds?: string[] }
>;
export type EnableUser = Command<'EnableUser', { userId: string }>;
export type DisableUser = Command<'DisableUser', { userId: string }>;
/** An administrator locks the account. */
export type LockUser = Command<'LockUser', { userId: string }>;
/** Unlocks (an administrator's lock or a temporary lockout) and forgets earlier login failures. */
export type UnlockUser = Command<'UnlockUser', { userId: string }>;
export type ChangeUserRoles = Command<'ChangeUserRoles', { userId: string; roles: UserRole[] }>;
/** A wrong password at the token endpoint, decided with the lockout policy in force. */
export type RecordLoginFailure = Command<'RecordLoginFailure', { userId: string; policy: LoginLockoutPolicy }>;
export type RecordLoginSuccess = Command<'RecordLoginSuccess', { userId: string }>;
export type RecordSignIn = Command<'RecordSignIn', { userId: string; via: SignInChannel }>;
export type RecordSignOut = Command<'RecordSignOut', { userId: string; via: SignInChannel; reason: SignOutReason }>;

export type UserCommand =
  | RegisterUser
  | ChangePassword
  | UpdateUserProfile
  | EnableUser
  | DisableUser
  | LockUser
  | UnlockUser
  | ChangeUserRoles
  | RecordLoginFailure
  | RecordLoginSuccess
  | RecordSignIn
  | RecordSignOut;
