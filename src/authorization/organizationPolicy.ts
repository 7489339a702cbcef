import type { Principal } from './principal.js';
import { isAdmin } from './principal.js';
import { readsAsAdministrator } from './readOnlyAccess.js';
import { administersOrganization } from './userPolicy.js';

/** Who may create and change organizations, and change the system-wide notification settings. */

/** Creating organizations (and choosing global access) is for administrators of a global-access organization. */
export function canCreateOrganizations(p: Principal): boolean {
  return isAdmin(p) && p.globalAccess;
}

/** The organizations a caller lists and chooses from (admin API and console): their own; every one (null) with global access. */
export function organizationListScope(p: Principal): readonly string[] | null {
  return p.globalAccess ? null : p.organizationIds;
}

/** Renaming, enabling and disabling an organization: an administrator of it (or with global access). */
export function canManageOrganization(p: Principal, organizationId: string): boolean {
  return administersOrganization(p, organizationId);
}

/**
 * Templates, rules and failed jobs: reading needs an administrator (or an auditor); changing
 * the system-wide templates and rules, an administrator with global access.
 */
export function canReadNotificationSettings(p: Principal): boolean {
  return readsAsAdministrator(p);
}

export function canChangeNotificationSettings(p: Principal): boolean {
  return isAdmin(p) && p.globalAccess;
}

/**
 * Retrying a failed notification (it sends the email again): an administrator, never an
 * auditor, and only for the jobs they may see (those of applications they may see; a job of
 * no known application, with global access only).
 */
export function canRetryNotifications(p: Principal): boolean {
  return isAdmin(p);
}
