import type { ApplicationCreated, Grant } from '../../domain/application/applicationEvents.js';
import type { RecordedEvent } from '../eventStore.js';
import type { Upcaster } from '../upcasters.js';

/**
 * `ApplicationCreated` schema version 1 (the first release) had a single `grant` and no
 * `frontend`, `scopes`, `applicationUrl` or `description`. Version 2 (current) has
 * `grants: Grant[]` and those fields, defaulted here to what version 1 meant: a back-office
 * application with no scopes, URL or description. Writers of version 2 may omit the marker
 * (absent = 1), so an event already in the current shape is returned as it is.
 */
export interface ApplicationCreatedV1Data {
  applicationId: string;
  clientId: string;
  secretHash: string;
  name: string;
  organizationId: string;
  ownerUserId: string | null;
  active: boolean;
  grant: Grant;
  allApis: boolean;
  apis: string[];
}

type CurrentData = ApplicationCreated['data'];

const isVersion1Shape = (data: unknown): data is ApplicationCreatedV1Data & Partial<CurrentData> =>
  typeof data === 'object' &&
  data !== null &&
  typeof (data as { grant?: unknown }).grant === 'string' &&
  !Array.isArray((data as { grants?: unknown }).grants);

export const applicationCreatedV1Upcaster: Upcaster = {
  eventType: 'ApplicationCreated',
  fromVersion: 1,
  upcast(event: RecordedEvent): RecordedEvent {
    if (!isVersion1Shape(event.data)) return event;
    const { grant, ...rest } = event.data;
    const data: CurrentData = {
      ...rest,
      grants: [grant],
      frontend: rest.frontend ?? false,
      scopes: rest.scopes ?? [],
      applicationUrl: rest.applicationUrl ?? null,
      description: rest.description ?? null,
    };
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: 2 } };
  },
};
