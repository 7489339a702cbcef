import type { UserRole } from '../domain/user/userEvents.js';
import { isReadOnly } from './readOnlyAccess.js';

/** The authenticated caller of the admin API, resolved from a bearer token on every request. */
export interface Principal {
  userId: string;
  username: string;
  roles: UserRole[];
  organizationIds: string[];
  /** True when one of the caller's organizations has global access. */
  globalAccess: boolean;
  /** The application whose token the caller presented. */
  applicationId: string;
  /** What the request came through, recorded as `metadata.via`: the token's client id, or `console`. */
  via: string;
}

/** An administrator who may change things (never a read-only caller: readOnlyAccess.ts). */
export const isAdmin = (p: Pick<Principal, 'roles'>): boolean => p.roles.includes('admin') && !isReadOnly(p);
