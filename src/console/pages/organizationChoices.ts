import { organizationListScope } from '../../authorization/organizationPolicy.js';
import type { Principal } from '../../authorization/principal.js';
import { organizationQuery } from '../../../projections/directoryQuery.js';
import type { ConsoleDeps } from '../consoleDeps.js';

/** The organizations the caller may pick (their own; all with global access). */
export async function organizationChoices(deps: ConsoleDeps, principal: Principal, selected?: string) {
  const page = await deps.readModel.organizations.list(
    organizationQuery({ perPage: 100 }, { organizationIds: organizationListScope(principal) }),
  );
  return page.items.map((o) => ({ id: o.id, name: o.name, selected: o.id === selected }));
}
