import type { Principal } from './principal.js';

/**
 * What a token may do: its user's current authority, within its application's organization.
 * A token never does more than its user could, and never more than its application's
 * organization could: through an application of an organization without global access the
 * caller acts only in that organization (a client_credentials application of B owned by a
 * user of G and B does not make its token a global administrator). Through an application
 * of a global-access organization the user's whole authority applies.
 */
export function boundByApplication(
  user: Principal,
  application: { organizationId: string; organizationGlobalAccess: boolean },
): Principal {
  if (application.organizationGlobalAccess) return user;
  return {
    ...user,
    organizationIds: user.organizationIds.filter((o) => o === application.organizationId),
    globalAccess: false,
  };
}
