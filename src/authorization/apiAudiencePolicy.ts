import type { ApiCatalog } from '../apiCatalog/apiCatalog.js';
import type { ExistingApplication, Grant } from '../domain/application/applicationEvents.js';

/**
 * Which API audiences a grant's access tokens carry: the application's APIs (the catalog),
 * except the admin API through authorization_code for any application that is not first-party.
 *
 * Why: through authorization_code a user consents to a (possibly third-party) application,
 * which then acts as them. With the admin API among its APIs ("Support all APIs" included),
 * one click on Grant would hand it the user's whole back-office authority — an administrator's
 * included. The password grant is different (the user gives the application their password,
 * so it is trusted by definition); client_credentials acts as its owner, not as a consenting
 * user. A refresh keeps a family within the admin audience it started with, so a family born
 * of a code never gains it. The consent page lists the resources this rule leaves.
 */
export function grantAudiences(
  catalog: Pick<ApiCatalog, 'audiencesFor' | 'adminAudience'>,
  application: ExistingApplication,
  grant: Grant,
  /** refresh_token: the audiences the family started with. */
  familyAudiences?: readonly string[],
): string[] {
  const audiences = catalog.audiencesFor(application);
  const withoutAdmin = () => audiences.filter((a) => a !== catalog.adminAudience);
  if (grant === 'authorization_code') return application.firstParty ? audiences : withoutAdmin();
  if (grant === 'refresh_token' && familyAudiences !== undefined && !familyAudiences.includes(catalog.adminAudience)) return withoutAdmin();
  return audiences;
}
