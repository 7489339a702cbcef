import { organizationDecider } from '../domain/organization/organizationDecider.js';
import type { OrganizationState } from '../domain/organization/organizationEvents.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { toOrganizationStreamName } from '../domain/shared/streamNames.js';
import { newId } from '../security/ids.js';
import type { CommandDeps } from './commandDeps.js';
import type { HandleResult } from './commandHandler.js';

export const createOrganization = (
  deps: CommandDeps,
  input: { name: string; globalAccess?: boolean; organizationId?: string },
  metadata: CommandMetadata,
): Promise<HandleResult<OrganizationState>> => {
  const organizationId = input.organizationId ?? newId();
  return deps.handler.handle(organizationDecider, toOrganizationStreamName(organizationId), {
    type: 'CreateOrganization',
    data: { organizationId, name: input.name, globalAccess: input.globalAccess ?? false },
    metadata,
  });
};
