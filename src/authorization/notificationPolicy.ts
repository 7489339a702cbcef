import { isAdmin, type Principal } from './principal.js';

/** Templates and rules are system-wide: reading them needs an administrator. */
export const canReadNotificationSettings = (p: Principal): boolean => isAdmin(p);

/** Changing them needs an administrator of a global-access organization. */
export const canChangeNotificationSettings = (p: Principal): boolean => isAdmin(p) && p.globalAccess;
