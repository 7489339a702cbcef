import type { Validator } from '../shared/validation.js';
import { USER_ROLES, type UserKind } from './userEvents.js';

export { USER_ROLES };
export const USER_KINDS: readonly UserKind[] = ['backOffice', 'customer'];

const USERNAME = /^[A-Za-z0-9._@-]{1,255}$/;
// Pragmatic address check (local@domain.tld, no spaces); deliverability is the mailer's business.
const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
// Language, optionally a region: en, fr_FR, pt-BR, es-419.
const LOCALE = /^[a-z]{2,3}(?:[_-](?:[A-Z]{2}|[0-9]{3}))?$/;

export const isValidUsername = (value: unknown): value is string => typeof value === 'string' && USERNAME.test(value);
export const isValidEmail = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 254 && EMAIL.test(value);
export const isValidLocale = (value: unknown): value is string => typeof value === 'string' && LOCALE.test(value);

export const checkRoles = (v: Validator, roles: unknown, kind: UserKind): void => {
  if (!Array.isArray(roles) || roles.length === 0) {
    v.add('roles', 'must hold at least one role');
    return;
  }
  if (!roles.every((r) => (USER_ROLES as readonly unknown[]).includes(r))) {
    v.add('roles', `must be among ${USER_ROLES.join(', ')}`);
    return;
  }
  v.check(!(kind === 'customer' && roles.includes('admin')), 'roles', 'customers cannot be administrators');
  v.check(!(kind === 'customer' && roles.includes('auditor')), 'roles', 'customers cannot be auditors');
  // Read-only is the whole of the role: combined with another it would be unclear which wins.
  v.check(!(roles.includes('auditor') && roles.some((r) => r !== 'auditor')), 'roles', 'auditor is read-only and cannot be combined with other roles');
};

export const checkOrganizationIds = (v: Validator, ids: unknown): void => {
  v.check(
    Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string' && id.length > 0),
    'organizationIds',
    'must hold at least one organization id',
  );
};
