import type { OrganizationCommand } from '../domain/organization/organizationCommands.js';
import { organizationDecider } from '../domain/organization/organizationDecider.js';
import type { OrganizationState } from '../domain/organization/organizationEvents.js';
import { batchDecider } from '../domain/shared/batchDecider.js';
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

/** Rename and enable/disable in one append. */
const organizationEditDecider = batchDecider(organizationDecider);

/** The one write path for editing an organization (admin API and console). */
export const updateOrganization = (
  deps: CommandDeps,
  input: { organizationId: string; name?: string; enabled?: boolean; expectedRevision?: number },
  metadata: CommandMetadata,
): Promise<HandleResult<OrganizationState>> => {
  const { organizationId } = input;
  const commands: OrganizationCommand[] = [];
  if (input.name !== undefined) commands.push({ type: 'RenameOrganization', data: { organizationId, name: input.name }, metadata });
  if (input.enabled !== undefined) {
    commands.push({ type: input.enabled ? 'EnableOrganization' : 'DisableOrganization', data: { organizationId }, metadata });
  }
  return deps.handler.handle(
    organizationEditDecider,
    toOrganizationStreamName(organizationId),
    { commands, metadata },
    input.expectedRevision === undefined ? {} : { expectedRevision: input.expectedRevision },
  );
};
