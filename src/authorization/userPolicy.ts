import type { UserRole } from '../domain/user/userEvents.js';
import type { Principal } from './principal.js';
import { isAdmin } from './principal.js';

/**
 * Authority over users (DESIGN §6 "Authority"). Authority over a user is authority over
 * *every* organization the user belongs to: an administrator may see, change (profile,
 * password, roles, organizations, enabled, locked) or act as a user — own an application as
 * them, list their applications, read their history — only if they administer each of the
 * user's organizations, or have global access. Nobody grants what they do not hold: no role
 * they lack, no organization outside their reach.
 *
 * The admin API and the console call these predicates; no route has its own copy.
 */
export interface UserScope {
  id: string;
  organizationIds: readonly string[];
}

/** The caller administers this organization: an administrator in it, or with global access. */
export function administersOrganization(p: Principal, organizationId: string): boolean {
  return isAdmin(p) && (p.globalAccess || p.organizationIds.includes(organizationId));
}

/** An administrator who administers every one of the user's organizations (not oneself: see canViewUser). */
export function hasAuthorityOverUser(p: Principal, user: UserScope): boolean {
  return isAdmin(p) && user.organizationIds.every((o) => administersOrganization(p, o));
}

/** Oneself, or a user the caller has authority over. Others answer 404 (nothing leaks). */
export function canViewUser(p: Principal, user: UserScope): boolean {
  return user.id === p.userId || hasAuthorityOverUser(p, user);
}

/**
 * Roles, organizations, enabled and locked: only with authority over the user (which includes
 * an administrator's own record; what they may grant is bounded by canGrantRoles and
 * canAssignOrganizations).
 */
export function canAdministerUser(p: Principal, user: UserScope): boolean {
  return hasAuthorityOverUser(p, user);
}

/** Email, locale and password: oneself (password with the current one) or with authority. */
export function canEditUserProfile(p: Principal, user: UserScope): boolean {
  return user.id === p.userId || hasAuthorityOverUser(p, user);
}

/**
 * Setting another user's password needs authority; one's own password change needs the
 * current password (the token alone is not enough: it may have been stolen).
 */
export function passwordChangeNeedsCurrentPassword(p: Principal, user: UserScope): boolean {
  return user.id === p.userId;
}

/** Registering users is for administrators; the organizations given must each be administered. */
export function canRegisterUsers(p: Principal): boolean {
  return isAdmin(p);
}

/** Lists users: administrators only, and only users they have authority over. */
export function canListUsers(p: Principal): boolean {
  return isAdmin(p);
}

/** The organizations a user list is limited to (every one of a listed user's must be in it), or null for all. */
export function userDirectoryScope(p: Principal): readonly string[] | null {
  return p.globalAccess ? null : p.organizationIds;
}

/** The roles a role includes: an administrator holds everything a plain user does. */
const INCLUDED_ROLES: Record<UserRole, readonly UserRole[]> = { admin: ['admin', 'user'], user: ['user'] };

/** The roles the caller could not grant (roles they do not hold, directly or through a role that includes them). */
export function rolesBeyondReach(p: Principal, roles: readonly UserRole[]): UserRole[] {
  const held = new Set(p.roles.flatMap((r) => INCLUDED_ROLES[r] ?? [r]));
  return roles.filter((r) => !held.has(r));
}

/** The organizations the caller could not assign (or remove): those they do not administer. */
export function organizationsBeyondReach(p: Principal, organizationIds: readonly string[]): string[] {
  return organizationIds.filter((o) => !administersOrganization(p, o));
}

/** Act as a user (own an application as them, see their applications and history). */
export function canActAsUser(p: Principal, user: UserScope): boolean {
  return user.id === p.userId || hasAuthorityOverUser(p, user);
}

/** A user's history (their stream): the same authority as changing them, or oneself. */
export const canViewUserHistory = canActAsUser;

/** What an edit of a user asks for (the fields present). */
export interface RequestedUserChange {
  email?: unknown;
  locale?: unknown;
  password?: unknown;
  roles?: readonly UserRole[];
  organizationIds?: readonly string[];
  enabled?: unknown;
  locked?: unknown;
}

const ADMINISTRATIVE_FIELDS = ['roles', 'organizationIds', 'enabled', 'locked'] as const;

/**
 * Why the caller may not make this change to a user they can see, or undefined when they may.
 * The one place the admin API and the console ask.
 */
export function userChangeRefusal(p: Principal, user: UserScope, change: RequestedUserChange): string | undefined {
  const administrative = ADMINISTRATIVE_FIELDS.filter((f) => change[f] !== undefined);
  if (administrative.length > 0 && !canAdministerUser(p, user)) {
    return `Changing ${administrative.join(', ')} needs an administrator of every organization of the user.`;
  }
  if (!canEditUserProfile(p, user)) return 'Only the user or an administrator of every organization of the user may change them.';
  return grantRefusal(p, change);
}

/** Registering a user: an administrator, granting only roles they hold in organizations they administer. */
export function userRegistrationRefusal(
  p: Principal,
  user: { roles: readonly UserRole[]; organizationIds: readonly string[] },
): string | undefined {
  if (!canRegisterUsers(p)) return 'Administrators only.';
  return grantRefusal(p, user);
}

function grantRefusal(p: Principal, change: { roles?: readonly UserRole[]; organizationIds?: readonly string[] }): string | undefined {
  const roles = rolesBeyondReach(p, change.roles ?? []);
  if (roles.length > 0) return `You cannot grant roles you do not hold: ${roles.join(', ')}.`;
  const organizations = organizationsBeyondReach(p, change.organizationIds ?? []);
  if (organizations.length > 0) return 'You cannot assign organizations you do not administer.';
  return undefined;
}
