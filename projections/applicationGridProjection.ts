/**
 * The applications grid. One row per application stream, written only when the event's
 * revision is newer than the row's. Organization name and owner username are denormalized:
 * looked up from the directories at apply time, and rewritten on OrganizationRenamed (and on
 * UserRegistered, should an owner ever be projected after their application).
 */
import type {
  ApplicationActivated,
  ApplicationCreated,
  ApplicationDeactivated,
  ApplicationDeleted,
  ApplicationSecretRotated,
  ApplicationUpdated,
} from '../src/domain/application/applicationEvents.js';
import type { OrganizationRenamed } from '../src/domain/organization/organizationEvents.js';
import type { UserRegistered } from '../src/domain/user/userEvents.js';
import { streamPrefixes } from '../src/domain/shared/streamNames.js';
import type { RecordedEvent } from '../src/eventStore/eventStore.js';
import { on, type Projection } from './projection.js';
import type { ApplicationRowUpsert, ReadModel } from './readModel.js';

const organizationNameOf = async (readModel: ReadModel, organizationId: string): Promise<string> =>
  (await readModel.organizations.get(organizationId))?.name ?? '';

/** Read, check the revision, change, write back conditionally. */
async function updateRow(
  readModel: ReadModel,
  applicationId: string,
  event: RecordedEvent,
  change: (row: ApplicationRowUpsert) => ApplicationRowUpsert | Promise<ApplicationRowUpsert>,
): Promise<void> {
  const current = await readModel.applications.get(applicationId, { includeDeleted: true });
  if (!current || current.revision >= event.revision) return;
  const { lastUsedAt: _ignored, currentSecretLastUsedAt: _current, previousSecretLastUsedAt: _previous, ...row } = current;
  const changed = await change(row);
  await readModel.applications.upsert({
    ...changed,
    updatedAt: event.metadata.occurredAt,
    revision: event.revision,
    position: event.position,
  });
}

export const applicationGridProjection: Projection = {
  name: 'applicationGrid',
  streamPrefixes: [streamPrefixes.application, streamPrefixes.organization, streamPrefixes.user],
  handlers: {
    ApplicationCreated: on<ApplicationCreated>(async (data, event, readModel) => {
      const owner = data.ownerUserId === null ? null : await readModel.users.get(data.ownerUserId);
      await readModel.applications.upsert({
        id: data.applicationId,
        clientId: data.clientId,
        name: data.name,
        nameLower: data.name.toLowerCase(),
        organizationId: data.organizationId,
        organizationName: await organizationNameOf(readModel, data.organizationId),
        ownerUserId: data.ownerUserId,
        ownerUsername: owner?.username ?? null,
        active: data.active,
        deleted: false,
        grants: [...data.grants],
        frontend: data.frontend,
        allApis: data.allApis,
        apis: [...data.apis],
        scopes: [...data.scopes],
        applicationUrl: data.applicationUrl,
        description: data.description,
        createdAt: event.metadata.occurredAt,
        updatedAt: event.metadata.occurredAt,
        revision: event.revision,
        position: event.position,
      });
    }),
    ApplicationUpdated: on<ApplicationUpdated>((data, event, readModel) =>
      updateRow(readModel, data.applicationId, event, async (row) => {
        const next = { ...row };
        const c = data.changes;
        if (c.name) Object.assign(next, { name: c.name.to, nameLower: c.name.to.toLowerCase() });
        if (c.organizationId) {
          next.organizationId = c.organizationId.to;
          next.organizationName = await organizationNameOf(readModel, c.organizationId.to);
        }
        if (c.allApis) next.allApis = c.allApis.to;
        if (c.apis) next.apis = [...c.apis.to];
        if (c.scopes) next.scopes = [...c.scopes.to];
        if (c.applicationUrl) next.applicationUrl = c.applicationUrl.to;
        if (c.description) next.description = c.description.to;
        return next;
      }),
    ),
    ApplicationActivated: on<ApplicationActivated>((data, event, readModel) =>
      updateRow(readModel, data.applicationId, event, (row) => ({ ...row, active: true })),
    ),
    ApplicationDeactivated: on<ApplicationDeactivated>((data, event, readModel) =>
      updateRow(readModel, data.applicationId, event, (row) => ({ ...row, active: false })),
    ),
    // Nothing visible changes, but the row must reflect the stream's revision (ETags).
    ApplicationSecretRotated: on<ApplicationSecretRotated>((data, event, readModel) =>
      updateRow(readModel, data.applicationId, event, (row) => row),
    ),
    ApplicationDeleted: on<ApplicationDeleted>((data, event, readModel) =>
      updateRow(readModel, data.applicationId, event, (row) => ({ ...row, deleted: true })),
    ),
    OrganizationRenamed: on<OrganizationRenamed>((data, _event, readModel) =>
      readModel.applications.setOrganizationName(data.organizationId, data.name),
    ),
    UserRegistered: on<UserRegistered>((data, _event, readModel) =>
      readModel.applications.setOwnerUsername(data.userId, data.username),
    ),
  },
};
