import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import type { RegisteredUser } from '../domain/user/userDecider.js';
import type { StateCache } from './stateCache.js';

/**
 * Whether a user may act through an application right now: enabled, not locked by an
 * administrator, of the application's side (back-office apps ↔ back-office users, storefront
 * apps ↔ customers), a member of the application's organization, which must not be disabled.
 * A first-party application (the console) accepts back-office users of any organization, as
 * long as one of their organizations is not disabled.
 * A temporary lockout is not a subject problem: it stops password sign-ins only.
 * Answers the reason it may not, or undefined.
 */
export type SubjectProblem =
  | 'unknownUser'
  | 'userDisabled'
  | 'userLocked'
  | 'wrongUserKind'
  | 'notOrganizationMember'
  | 'organizationDisabled';

export function subjectProblem(
  user: RegisteredUser | undefined,
  application: ExistingApplication,
  cache: StateCache,
): SubjectProblem | undefined {
  const foreign = foreignSubject(user, application);
  if (foreign !== undefined || !user) return foreign ?? 'unknownUser';
  if (!user.enabled) return 'userDisabled';
  if (user.locked) return 'userLocked';
  const usable = (id: string) => cache.organization(id)?.status !== 'Disabled';
  if (application.firstParty ? !user.organizationIds.some(usable) : !usable(application.organizationId)) {
    return 'organizationDisabled';
  }
  return undefined;
}

/**
 * The part of the check that says whether the user is one of the application's users at all
 * (exists, right side, member). The password grant answers these before it looks at the
 * password and counts nothing for them, so a client of one organization learns nothing about
 * the users of another and cannot lock them out.
 */
export type ForeignSubject = Extract<SubjectProblem, 'unknownUser' | 'wrongUserKind' | 'notOrganizationMember'>;

export function foreignSubject(
  user: RegisteredUser | undefined,
  application: ExistingApplication,
): ForeignSubject | undefined {
  if (!user) return 'unknownUser';
  if ((user.kind === 'customer') !== application.frontend) return 'wrongUserKind';
  if (!application.firstParty && !user.organizationIds.includes(application.organizationId)) return 'notOrganizationMember';
  return undefined;
}

/** An application whose tokens still count: active (not inactive, not deleted). */
export const isApplicationUsable = (application: ExistingApplication | undefined): boolean =>
  application?.status === 'Active';
