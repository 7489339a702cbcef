import { DomainError } from '../domain/shared/domainError.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { loadOrganization } from './lookups.js';

/**
 * Cross-aggregate check of a user's organizations, shared by registration and edits: every
 * id must name an existing organization. Refused with a 400 naming the field and each
 * unknown id, before anything is written.
 */
export async function checkOrganizationsExist(store: EventStore, organizationIds: readonly string[], field = 'organizationIds'): Promise<void> {
  const unknown: string[] = [];
  for (const organizationId of new Set(organizationIds)) {
    const { state } = await loadOrganization(store, organizationId);
    if (state.status === 'Empty') unknown.push(organizationId);
  }
  if (unknown.length > 0) {
    const errors = unknown.map((id) => ({ field, message: `unknown organization ${id}` }));
    throw new DomainError('VALIDATION', `Invalid user: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
  }
}
