import type { Principal } from './principal.js';
import { isAdmin } from './principal.js';
import { isReadOnly, readsAsAdministrator } from './readOnlyAccess.js';
import { canActAsUser } from './userPolicy.js';

/**
 * Who may see and change which applications (Oro: organization-owned entities).
 * - An administrator manages every application of the organizations they belong to; with
 *   global access, of every organization.
 * - A user manages only the applications they own.
 * - An auditor sees what an administrator of their organizations sees and manages nothing
 *   (readOnlyAccess.ts).
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
  if (readsAsAdministrator(p)) return canSeeOrganization(p, app.organizationId);
  return app.ownerUserId === p.userId && p.organizationIds.includes(app.organizationId);
}

/** Viewing, without the read-only role. */
export function canManageApplication(p: Principal, app: ApplicationScope): boolean {
  return !isReadOnly(p) && canViewApplication(p, app);
}

/** Where the caller may create an application; outside one's own only with global access. */
export function canCreateInOrganization(p: Principal, organizationId: string): boolean {
  return !isReadOnly(p) && (p.organizationIds.includes(organizationId) || p.globalAccess);
}

/**
 * The organizations whose applications the caller's grid may list, or 'all'. A plain user's
 * grid is further restricted to their own applications (ownerUserId); an auditor's is an
 * administrator's.
 */
export function gridScope(
  p: Principal,
): { organizationIds: string[] | 'all'; ownerUserId?: string } {
  if (readsAsAdministrator(p)) return { organizationIds: p.globalAccess ? 'all' : p.organizationIds };
  return { organizationIds: p.organizationIds, ownerUserId: p.userId };
}

/**
 * "My User": one's own client-credentials applications, within the token's reach
 * (src/authorization/tokenAuthority.ts): a token of an application of B lists those of B only.
 */
export const myApplicationsScope = (p: Principal) => ({
  organizationIds: p.globalAccess ? null : p.organizationIds,
  ownerUserId: p.userId,
  grant: 'client_credentials' as const,
});

/**
 * A user's applications (after userPolicy.canReadAsUser): within the caller's grid scope; a
 * plain user may only list their own (null: not allowed, answered like an unknown user).
 */
export function userApplicationsScope(p: Principal, userId: string): { organizationIds: string[] | null; ownerUserId: string } | null {
  const scope = gridScope(p);
  if (scope.ownerUserId !== undefined && scope.ownerUserId !== userId) return null;
  return { organizationIds: scope.organizationIds === 'all' ? null : scope.organizationIds, ownerUserId: userId };
}

/**
 * An application's owner must be a user the creator may act as (userPolicy.canActAsUser)
 * and a member of the application's organization: the application's tokens act as them.
 */
export function canOwnApplicationAs(
  p: Principal,
  owner: { id: string; organizationIds: readonly string[] },
  organizationId: string,
): boolean {
  return owner.organizationIds.includes(organizationId) && canActAsUser(p, owner);
}

/** Who gives an application its scopes (src/apiCatalog/applicationScopes.ts): administrators any of its APIs', users fewer. */
export function scopeGranterOf(p: Principal): 'administrator' | 'owner' {
  return isAdmin(p) ? 'administrator' : 'owner';
}

/**
 * Getting an application's credentials (a new secret) or changing what its tokens may do
 * (scopes, APIs, URL, name) acts as its owner: only for callers who may act as the owner
 * (userPolicy.canActAsUser). Activating, deactivating and deleting stay with whoever manages
 * the application. `owner` is undefined when the application has no owner (or it is gone).
 */
export function canActThroughApplication(
  p: Principal,
  owner: { id: string; organizationIds: readonly string[] } | undefined,
): boolean {
  return !isReadOnly(p) && (owner === undefined || canActAsUser(p, owner));
}
