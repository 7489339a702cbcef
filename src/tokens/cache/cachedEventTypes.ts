import type { ApplicationEvent } from '../../domain/application/applicationEvents.js';
import type { OrganizationEvent } from '../../domain/organization/organizationEvents.js';
import type { UserEvent } from '../../domain/user/userEvents.js';

/**
 * The event types the state cache folds. The store's filter is given these types as well as
 * the stream prefixes so that SQLite reads them through its type index: a prefix-only filter
 * would scan every token event written since the last application change on each read.
 * The records make the compiler insist on every member of each union.
 */
const application: Record<ApplicationEvent['type'], true> = {
  ApplicationCreated: true,
  ApplicationUpdated: true,
  ApplicationActivated: true,
  ApplicationDeactivated: true,
  ApplicationSecretRotated: true,
  ApplicationDeleted: true,
};
const user: Record<UserEvent['type'], true> = {
  UserRegistered: true,
  UserPasswordChanged: true,
  UserProfileUpdated: true,
  UserEnabled: true,
  UserDisabled: true,
  UserLocked: true,
  UserUnlocked: true,
  UserRolesChanged: true,
  UserLoginFailed: true,
  UserLoginFailuresReset: true,
  UserSignedIn: true,
  UserSignedOut: true,
  UserLockedOut: true,
  UserLockoutEnded: true,
};
const organization: Record<OrganizationEvent['type'], true> = {
  OrganizationCreated: true,
  OrganizationRenamed: true,
  OrganizationEnabled: true,
  OrganizationDisabled: true,
};

export const CACHED_AGGREGATE_EVENT_TYPES: readonly string[] = [
  ...Object.keys(application),
  ...Object.keys(user),
  ...Object.keys(organization),
];
