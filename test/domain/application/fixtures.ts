import type { ApplicationCommand, CreateApplication } from '../../../src/domain/application/applicationCommands.js';
import type { ApplicationCreated, ApplicationEvent } from '../../../src/domain/application/applicationEvents.js';
import { metadataAt } from '../metadata.js';

export const applicationId = 'app-1';
export const metadata = metadataAt();

export const creation: CreateApplication['data'] = {
  applicationId,
  clientId: 'client-id-0123456789abcdefghijkl',
  secretHash: 'sha256$salt$hash',
  name: 'Billing sync',
  organizationId: 'org-1',
  ownerUserId: 'user-1',
  grants: ['client_credentials'],
};

export const create = (overrides: Partial<CreateApplication['data']> = {}): ApplicationCommand => ({
  type: 'CreateApplication',
  data: { ...creation, ...overrides },
  metadata,
});

export const created: ApplicationCreated = {
  type: 'ApplicationCreated',
  data: {
    applicationId,
    clientId: creation.clientId,
    secretHash: creation.secretHash,
    ownerUserId: 'user-1',
    active: true,
    grants: ['client_credentials'],
    frontend: false,
    name: 'Billing sync',
    organizationId: 'org-1',
    allApis: true,
    apis: [],
    scopes: [],
    applicationUrl: null,
    description: null,
    redirectUris: [],
    confidential: true,
    skipConsent: false,
    accessTokenTtl: null,
    refreshTokenTtl: null,
  },
};

export const command = (type: ApplicationCommand['type'], data: object = {}, now = metadata.now): ApplicationCommand =>
  ({ type, data: { applicationId, ...data }, metadata: { ...metadata, now } }) as ApplicationCommand;

export const deactivated: ApplicationEvent = { type: 'ApplicationDeactivated', data: { applicationId } };
export const deleted: ApplicationEvent = { type: 'ApplicationDeleted', data: { applicationId } };
export const rotated = (secretHash: string, previousSecretValidUntil: string | null): ApplicationEvent => ({
  type: 'ApplicationSecretRotated',
  data: { applicationId, secretHash, previousSecretValidUntil },
});
