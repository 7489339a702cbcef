import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import type { RegisteredUser } from '../domain/user/userDecider.js';
import type { StateCache } from './stateCache.js';

/**
 * Whether a user may act through an application right now: enabled, not locked, of the
 * application's side (back-office apps ↔ back-office users, storefront apps ↔ customers),
 * a member of the application's organization (unless it is first-party), which must not be disabled.
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
  if (!user) return 'unknownUser';
  if (!user.enabled) return 'userDisabled';
  if (user.locked) return 'userLocked';
  if ((user.kind === 'customer') !== application.frontend) return 'wrongUserKind';
  // A first-party client (the console) serves back-office users of every organization.
  if (application.firstParty !== true && !user.organizationIds.includes(application.organizationId)) return 'notOrganizationMember';
  if (cache.organization(application.organizationId)?.status === 'Disabled') return 'organizationDisabled';
  return undefined;
}

/** An application whose tokens still count: active (not inactive, not deleted). */
export const isApplicationUsable = (application: ExistingApplication | undefined): boolean =>
  application?.status === 'Active';
