import { loadOrganization } from '../commands/lookups.js';
import { DomainError } from '../domain/shared/domainError.js';
import type { OrganizationState } from '../domain/organization/organizationEvents.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { canSeeOrganization } from './applicationPolicy.js';
import type { Principal } from './principal.js';

/** An organization the caller may see (one of theirs; any with global access); else NOT_FOUND. */
export async function loadVisibleOrganizationFor(
  principal: Principal,
  store: EventStore,
  id: string,
): Promise<{ state: Exclude<OrganizationState, { status: 'Empty' }>; revision: number }> {
  const notFound = new DomainError('NOT_FOUND', 'No such organization.');
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw notFound;
  const { state, revision } = await loadOrganization(store, id);
  if (state.status === 'Empty' || !canSeeOrganization(principal, id)) throw notFound;
  return { state, revision };
}
