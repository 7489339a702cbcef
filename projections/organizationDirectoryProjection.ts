/** Organizations directory: one row per organization stream, revision-conditional. */
import type {
  OrganizationCreated,
  OrganizationDisabled,
  OrganizationEnabled,
  OrganizationRenamed,
} from '../src/domain/organization/organizationEvents.js';
import { streamPrefixes } from '../src/domain/shared/streamNames.js';
import type { RecordedEvent } from '../src/eventStore/eventStore.js';
import { on, type Projection } from './projection.js';
import type { OrganizationRow, ReadModel } from './readModel.js';

async function updateRow(
  readModel: ReadModel,
  organizationId: string,
  event: RecordedEvent,
  change: (row: OrganizationRow) => OrganizationRow,
): Promise<void> {
  const current = await readModel.organizations.get(organizationId);
  if (!current || current.revision >= event.revision) return;
  await readModel.organizations.upsert({ ...change(current), revision: event.revision });
}

export const organizationDirectoryProjection: Projection = {
  name: 'organizationDirectory',
  streamPrefixes: [streamPrefixes.organization],
  handlers: {
    OrganizationCreated: on<OrganizationCreated>(async (data, event, readModel) => {
      await readModel.organizations.upsert({
        id: data.organizationId,
        name: data.name,
        globalAccess: data.globalAccess,
        enabled: true,
        createdAt: event.metadata.occurredAt,
        revision: event.revision,
      });
    }),
    OrganizationRenamed: on<OrganizationRenamed>((data, event, readModel) =>
      updateRow(readModel, data.organizationId, event, (row) => ({ ...row, name: data.name })),
    ),
    OrganizationEnabled: on<OrganizationEnabled>((data, event, readModel) =>
      updateRow(readModel, data.organizationId, event, (row) => ({ ...row, enabled: true })),
    ),
    OrganizationDisabled: on<OrganizationDisabled>((data, event, readModel) =>
      updateRow(readModel, data.organizationId, event, (row) => ({ ...row, enabled: false })),
    ),
  },
};
