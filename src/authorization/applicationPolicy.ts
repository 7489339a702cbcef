import type { Principal } from './principal.js';
import { isAdmin } from './principal.js';

/**
 * Who may see and change which applications (Oro: organization-owned entities).
 * - An administrator manages every application of the organizations they belong to; with
 *   global access, of every organization.
 * - A user manages only the applications they own.
 * Callers answer 404 (not 403) when the caller may not even see the application, so the
 * existence of other organizations' applications never leaks.
 */
export interface ApplicationScope {
  organizationId: string;
  ownerUserId: string | null;
}

export function canSeeOrganization(p: Principal, organizationId: string): boolean {
  return p.globalAccess || p.organizationIds.includes(organizationId);
}

export function canViewApplication(p: Principal, app: ApplicationScope): boolean {
  if (isAdmin(p)) return canSeeOrganization(p, app.organizationId);
  return app.ownerUserId === p.userId && p.organizationIds.includes(app.organizationId);
}

/** Today the same rule as viewing; kept apart so the two can diverge (e.g. a read-only role). */
export function canManageApplication(p: Principal, app: ApplicationScope): boolean {
  return canViewApplication(p, app);
}

/** Where the caller may create an application; outside one's own only with global access. */
export function canCreateInOrganization(p: Principal, organizationId: string): boolean {
  return p.organizationIds.includes(organizationId) || p.globalAccess;
}

/** The system grid's Create (any grant, any owner of the organization): administrators only. */
export const canCreateFromSystemGrid = (p: Principal): boolean => isAdmin(p);

/**
 * The organizations whose applications the caller's grid may list, or 'all'. A non-admin's
 * grid is further restricted to their own applications (ownerUserId).
 */
export function gridScope(
  p: Principal,
): { organizationIds: string[] | 'all'; ownerUserId?: string } {
  if (isAdmin(p)) return { organizationIds: p.globalAccess ? 'all' : p.organizationIds };
  return { organizationIds: p.organizationIds, ownerUserId: p.userId };
}

/** "My User": one's own client-credentials applications, whatever the organization. */
export const myApplicationsScope = (p: Principal) =>
  ({ organizationIds: null, ownerUserId: p.userId, grant: 'client_credentials' as const });

/**
 * A user's applications (the user's view page): within the caller's grid scope; a non-admin
 * may only list their own (null: not allowed).
 */
export function userApplicationsScope(p: Principal, userId: string): { organizationIds: string[] | null; ownerUserId: string } | null {
  const scope = gridScope(p);
  if (scope.ownerUserId !== undefined && scope.ownerUserId !== userId) return null;
  return { organizationIds: scope.organizationIds === 'all' ? null : scope.organizationIds, ownerUserId: userId };
}

/** Users: admins see the users of their organizations (all with global access); others only themselves. */
export function canViewUser(p: Principal, user: { id: string; organizationIds: string[] }): boolean {
  if (user.id === p.userId) return true;
  if (!isAdmin(p)) return false;
  return p.globalAccess || user.organizationIds.some((o) => p.organizationIds.includes(o));
}

export function canManageUsers(p: Principal): boolean {
  return isAdmin(p);
}

/** Creating organizations: administrators of a global-access organization. */
export const canCreateOrganization = (p: Principal): boolean => isAdmin(p) && p.globalAccess;

/** Editing an organization one can see: administrators. */
export const canEditOrganization = (p: Principal): boolean => isAdmin(p);
