import { loadApplication, loadUser } from '../commands/lookups.js';
import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import { DomainError, validationError } from '../domain/shared/domainError.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { canCreateFromSystemGrid, canCreateInOrganization, canManageApplication, canViewApplication } from './applicationPolicy.js';
import type { Grant } from '../domain/application/applicationEvents.js';
import { isAdmin, type Principal } from './principal.js';

/**
 * The application checks every route shares (admin API and console): where the caller may
 * create, who may own, and which application the caller may see. Not-visible is NOT_FOUND.
 */

/** The caller's organization, or the one they chose (outside their own only with global access). */
export function targetOrganization(principal: Principal, requested: string | undefined): string {
  const organizationId = requested ?? principal.organizationIds[0];
  if (organizationId === undefined) throw validationError('organizationId', 'is required');
  if (!canCreateInOrganization(principal, organizationId)) {
    throw new DomainError('FORBIDDEN', 'Only users of a global-access organization may choose another organization.');
  }
  return organizationId;
}

/** The owner must exist and belong to the target organization. */
export async function checkOwner(store: EventStore, ownerUserId: string, organizationId: string): Promise<void> {
  const { state } = await loadUser(store, ownerUserId);
  if (state.status === 'Empty' || !state.organizationIds.includes(organizationId)) {
    throw validationError('ownerUserId', 'no such user in the organization');
  }
}

const ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface VisibleApplication {
  state: ExistingApplication;
  revision: number;
}

/**
 * An application the caller may see (or manage), folded from its stream (authoritative, not
 * the read model). Unknown, foreign and (unless asked for) deleted applications are all
 * NOT_FOUND, so nothing about other organizations leaks.
 */
export async function loadVisibleApplicationFor(
  principal: Principal,
  store: EventStore,
  id: string,
  options: { asOf?: Date; allowDeleted?: boolean; manage?: boolean } = {},
): Promise<VisibleApplication> {
  const notFound = new DomainError('NOT_FOUND', 'No such OAuth application.');
  if (!ID.test(id)) throw notFound;
  const current = await loadApplication(store, id);
  if (current.state.status === 'Empty') throw notFound;
  const allowed = options.manage ? canManageApplication : canViewApplication;
  if (!allowed(principal, current.state)) throw notFound;
  if (current.state.status === 'Deleted' && !(options.allowDeleted && isAdmin(principal))) throw notFound;
  if (options.asOf === undefined) return { state: current.state, revision: current.revision };
  const past = await loadApplication(store, id, options.asOf);
  if (past.state.status === 'Empty') throw new DomainError('NOT_FOUND', 'The application did not exist at that time.');
  return { state: past.state, revision: past.revision };
}

/**
 * The system grid's Create: administrators only; the organization as targetOrganization; the
 * owner as given, or the caller for client credentials; the owner must be of that organization.
 */
export async function planSystemGridCreation(
  principal: Principal,
  store: EventStore,
  input: { organizationId?: string; ownerUserId?: string; grants: readonly Grant[] },
): Promise<{ organizationId: string; ownerUserId: string | null }> {
  if (!canCreateFromSystemGrid(principal)) {
    throw new DomainError('FORBIDDEN', 'Only administrators manage applications here; use /admin/me/oauth-applications.');
  }
  const organizationId = targetOrganization(principal, input.organizationId);
  const ownerUserId = input.ownerUserId ?? (input.grants.includes('client_credentials') ? principal.userId : null);
  if (ownerUserId !== null) await checkOwner(store, ownerUserId, organizationId);
  return { organizationId, ownerUserId };
}

/** Moving an application to another organization: allowed there, and its owner belongs there. */
export async function checkApplicationMove(
  principal: Principal,
  store: EventStore,
  application: ExistingApplication,
  organizationId: string | undefined,
): Promise<void> {
  if (organizationId === undefined || organizationId === application.organizationId) return;
  targetOrganization(principal, organizationId);
  if (application.ownerUserId !== null) await checkOwner(store, application.ownerUserId, organizationId);
}
