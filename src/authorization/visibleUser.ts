import { loadUser } from '../commands/lookups.js';
import { DomainError } from '../domain/shared/domainError.js';
import type { UserState } from '../domain/user/userEvents.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { canViewUser } from './applicationPolicy.js';
import type { Principal } from './principal.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A user the caller may see, folded from its stream; anyone else is NOT_FOUND. */
export async function loadVisibleUserFor(
  principal: Principal,
  store: EventStore,
  id: string,
): Promise<{ state: Exclude<UserState, { status: 'Empty' }>; revision: number }> {
  const notFound = new DomainError('NOT_FOUND', 'No such user.');
  if (!ID.test(id)) throw notFound;
  const { state, revision } = await loadUser(store, id);
  if (state.status === 'Empty') throw notFound;
  if (!canViewUser(principal, { id: state.userId, organizationIds: state.organizationIds })) throw notFound;
  return { state, revision };
}
