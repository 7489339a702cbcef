import { DomainError } from '../domain/shared/domainError.js';
import { canManageUsers } from './applicationPolicy.js';
import { isAdmin, type Principal } from './principal.js';

/** Assigning organizations outside one's own needs global access. */
export function checkOrganizationsAllowed(principal: Principal, organizationIds: readonly string[]): void {
  const outside = organizationIds.filter((o) => !principal.organizationIds.includes(o));
  if (outside.length > 0 && !principal.globalAccess) {
    throw new DomainError('FORBIDDEN', 'Only users of a global-access organization may assign other organizations.');
  }
}

/**
 * Everyone may change their own email, locale and password; roles, organizations, enabling
 * and locking are for administrators, and so is any change of another user.
 */
export function checkUserEdit(
  principal: Principal,
  targetUserId: string,
  changes: { roles?: unknown; organizationIds?: readonly string[]; enabled?: unknown; locked?: unknown },
): void {
  const adminFields = (['roles', 'organizationIds', 'enabled', 'locked'] as const).filter((f) => changes[f] !== undefined);
  if (adminFields.length > 0) {
    if (!canManageUsers(principal)) throw new DomainError('FORBIDDEN', 'Administrators only.');
    if (changes.organizationIds) checkOrganizationsAllowed(principal, changes.organizationIds);
  }
  if (targetUserId !== principal.userId && !isAdmin(principal)) throw new DomainError('FORBIDDEN', 'Administrators only.');
}
