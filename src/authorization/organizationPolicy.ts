import type { Principal } from './principal.js';
import { isAdmin } from './principal.js';
import { administersOrganization } from './userPolicy.js';

/** Who may create and change organizations, and change the system-wide notification settings. */

/** Creating organizations (and choosing global access) is for administrators of a global-access organization. */
export function canCreateOrganizations(p: Principal): boolean {
  return isAdmin(p) && p.globalAccess;
}

/** Renaming, enabling and disabling an organization: an administrator of it (or with global access). */
export function canManageOrganization(p: Principal, organizationId: string): boolean {
  return administersOrganization(p, organizationId);
}

/** Templates and rules are system-wide: reading needs an administrator, changing them global access. */
export function canReadNotificationSettings(p: Principal): boolean {
  return isAdmin(p);
}

export function canChangeNotificationSettings(p: Principal): boolean {
  return isAdmin(p) && p.globalAccess;
}
