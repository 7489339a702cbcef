import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import type { ApplicationGridRow } from '../../projections/readModel.js';

/** The application as the admin API shows it: never the secret, never its hash. */
export interface ApplicationResource {
  id: string;
  clientId: string;
  name: string;
  organizationId: string;
  organizationName?: string;
  ownerUserId: string | null;
  ownerUsername?: string | null;
  active: boolean;
  deleted: boolean;
  grants: string[];
  frontend: boolean;
  allApis: boolean;
  apis: string[];
  scopes: string[];
  applicationUrl: string | null;
  description: string | null;
  /** From the application's stream (single-application answers; the grid rows omit them). */
  redirectUris?: string[];
  confidential?: boolean;
  skipConsent?: boolean;
  accessTokenTtl?: number | null;
  refreshTokenTtl?: number | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

/** What a single-application answer takes from outside the stream: names and last use. */
export type ApplicationSideFacts = Pick<ApplicationGridRow, 'organizationName' | 'ownerUsername' | 'lastUsedAt'>;

/**
 * From the folded stream (authoritative), with names and last-used time from the read model
 * (or, as of a moment, from `applicationNamesAsOf`).
 */
export function applicationFromState(
  state: ExistingApplication,
  revision: number,
  row: ApplicationSideFacts | null,
): ApplicationResource {
  return {
    id: state.applicationId,
    clientId: state.clientId,
    name: state.name,
    organizationId: state.organizationId,
    ...(row ? { organizationName: row.organizationName, ownerUsername: row.ownerUsername } : {}),
    ownerUserId: state.ownerUserId,
    active: state.status === 'Active',
    deleted: state.status === 'Deleted',
    grants: [...state.grants],
    frontend: state.frontend,
    allApis: state.allApis,
    apis: [...state.apis],
    scopes: [...state.scopes],
    applicationUrl: state.applicationUrl,
    description: state.description,
    redirectUris: [...state.redirectUris],
    confidential: state.confidential,
    skipConsent: state.skipConsent,
    accessTokenTtl: state.accessTokenTtl,
    refreshTokenTtl: state.refreshTokenTtl,
    revision,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    lastUsedAt: row?.lastUsedAt ?? null,
  };
}

/** A grid row as a resource (the grid reads only the read model). */
export function applicationFromRow(row: ApplicationGridRow): ApplicationResource {
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    ownerUserId: row.ownerUserId,
    ownerUsername: row.ownerUsername,
    active: row.active,
    deleted: row.deleted,
    grants: [...row.grants],
    frontend: row.frontend,
    allApis: row.allApis,
    apis: [...row.apis],
    scopes: [...row.scopes],
    applicationUrl: row.applicationUrl,
    description: row.description,
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastUsedAt: row.lastUsedAt,
  };
}
