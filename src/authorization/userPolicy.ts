import type { UserRole } from '../domain/user/userEvents.js';
import type { Principal } from './principal.js';
import { isAdmin } from './principal.js';
import { isReadOnly, READ_ONLY_REFUSAL, readsAsAdministrator, writeRefusal } from './readOnlyAccess.js';

/**
 * Authority over users (DESIGN §6 "Authority"). Authority over a user is authority over
 * *every* organization the user belongs to: an administrator may see, change (profile,
 * password, roles, organizations, enabled, locked) or act as a user — own an application as
 * them, list their applications, read their history — only if they administer each of the
 * user's organizations, or have global access. Nobody grants what they do not hold: no role
 * they lack, no organization outside their reach.
 *
 * An auditor (readOnlyAccess.ts) has the same *reading* authority — over every user all of whose
 * organizations they belong to (or everyone, with global access) — and no other: every
 * predicate that changes or acts refuses them; they keep only their own password change.
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

/** The caller reads this organization as its administrator would: an administrator or auditor in it, or with global access. */
export function overseesOrganization(p: Principal, organizationId: string): boolean {
  return readsAsAdministrator(p) && (p.globalAccess || p.organizationIds.includes(organizationId));
}

/** What an administrator with authority over the user may read, an auditor of the same organizations reads too. */
export function hasReadAuthorityOverUser(p: Principal, user: UserScope): boolean {
  return readsAsAdministrator(p) && user.organizationIds.every((o) => overseesOrganization(p, o));
}

/** Oneself, or a user the caller has (reading) authority over. Others answer 404 (nothing leaks). */
export function canViewUser(p: Principal, user: UserScope): boolean {
  return user.id === p.userId || hasReadAuthorityOverUser(p, user);
}

/**
 * Roles, organizations, enabled and locked: only with authority over the user (which includes
 * an administrator's own record; what they may grant is bounded by canGrantRoles and
 * canAssignOrganizations).
 */
export function canAdministerUser(p: Principal, user: UserScope): boolean {
  return hasAuthorityOverUser(p, user);
}

/** Email, locale and password: oneself (password with the current one) or with authority. An auditor: only their password (userChangeRefusal). */
export function canEditUserProfile(p: Principal, user: UserScope): boolean {
  return (user.id === p.userId && !isReadOnly(p)) || hasAuthorityOverUser(p, user);
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

/** Lists users: administrators and auditors only, and only users they have (reading) authority over. */
export function canListUsers(p: Principal): boolean {
  return readsAsAdministrator(p);
}

/** The organizations a user list is limited to (every one of a listed user's must be in it), or null for all. */
export function userDirectoryScope(p: Principal): readonly string[] | null {
  return p.globalAccess ? null : p.organizationIds;
}

/**
 * The roles a role includes: an administrator holds everything a plain user does, and everything
 * an auditor does (an auditor reads what an administrator of the same organizations reads), so
 * an administrator may make a user of organizations they administer an auditor of them; an
 * auditor grants nothing (read-only).
 */
const INCLUDED_ROLES: Record<UserRole, readonly UserRole[]> = {
  admin: ['admin', 'user', 'auditor'],
  user: ['user'],
  auditor: ['auditor'],
};

/** The roles the caller could not grant (roles they do not hold, directly or through a role that includes them). */
export function rolesBeyondReach(p: Principal, roles: readonly UserRole[]): UserRole[] {
  const held = new Set(p.roles.flatMap((r) => INCLUDED_ROLES[r] ?? [r]));
  return roles.filter((r) => !held.has(r));
}

/** The organizations the caller could not assign (or remove): those they do not administer. */
export function organizationsBeyondReach(p: Principal, organizationIds: readonly string[]): string[] {
  return organizationIds.filter((o) => !administersOrganization(p, o));
}

/** Act as a user (own an application as them, get its credentials): never read-only. */
export function canActAsUser(p: Principal, user: UserScope): boolean {
  return !isReadOnly(p) && (user.id === p.userId || hasAuthorityOverUser(p, user));
}

/** See what is a user's: their applications and their history. Oneself, or with (reading) authority over them. */
export function canReadAsUser(p: Principal, user: UserScope): boolean {
  return user.id === p.userId || hasReadAuthorityOverUser(p, user);
}

/** A user's history (their stream). */
export const canViewUserHistory = canReadAsUser;

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
  if (isReadOnly(p)) return isOwnPasswordChangeOnly(p, user, change) ? undefined : READ_ONLY_REFUSAL;
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
  const readOnly = writeRefusal(p);
  if (readOnly !== undefined) return readOnly;
  if (!canRegisterUsers(p)) return 'Administrators only.';
  return grantRefusal(p, user);
}

/** The one change a read-only caller may make: their own password (the current one is checked: passwordChangeNeedsCurrentPassword). */
function isOwnPasswordChangeOnly(p: Principal, user: UserScope, change: RequestedUserChange): boolean {
  const fields = (Object.keys(change) as Array<keyof RequestedUserChange>).filter((f) => change[f] !== undefined);
  return user.id === p.userId && fields.length === 1 && fields[0] === 'password';
}

function grantRefusal(p: Principal, change: { roles?: readonly UserRole[]; organizationIds?: readonly string[] }): string | undefined {
  const roles = rolesBeyondReach(p, change.roles ?? []);
  if (roles.length > 0) return `You cannot grant roles you do not hold: ${roles.join(', ')}.`;
  const organizations = organizationsBeyondReach(p, change.organizationIds ?? []);
  if (organizations.length > 0) return 'You cannot assign organizations you do not administer.';
  return undefined;
}
