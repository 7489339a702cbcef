import type { Principal } from './principal.js';

/**
 * The read-only role (DESIGN §6 "Roles"): an **auditor** reads everything an administrator of
 * the same organizations reads — applications, users, organizations, histories, tokens, as-of
 * views, exports, notification settings, failed jobs — and changes nothing. The one write they
 * keep is their own password, with the current one (userPolicy.userChangeRefusal), so a
 * password policy or a leak can still be acted on without an administrator.
 *
 * Every write predicate of this module (applicationPolicy, userPolicy, organizationPolicy)
 * refuses a read-only caller, and the admin API's single write guard
 * (src/admin/readOnlyGuard.ts) answers every write route with READ_ONLY_REFUSAL before
 * anything is loaded; the console calls `writeRefusal` the same way.
 */
export const READ_ONLY_REFUSAL = 'Auditors have read-only access.';

/** The caller may read but change nothing. Read-only wins over any other role held with it. */
export const isReadOnly = (p: Pick<Principal, 'roles'>): boolean => p.roles.includes('auditor');

/** The one write guard: why the caller may change nothing at all, or undefined when they may write. */
export const writeRefusal = (p: Pick<Principal, 'roles'>): string | undefined =>
  isReadOnly(p) ? READ_ONLY_REFUSAL : undefined;

/** Reads what an administrator of the caller's organizations reads: an administrator or an auditor. */
export const readsAsAdministrator = (p: Pick<Principal, 'roles'>): boolean =>
  p.roles.includes('admin') || p.roles.includes('auditor');
