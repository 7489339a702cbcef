import { DomainError } from '../shared/domainError.js';
import { assertNever, type Decider } from '../shared/event.js';
import { occurredAtOf, type MaybeTimed } from '../shared/eventTime.js';
import { ignoreUnknownEvent } from '../shared/unknownEvent.js';
import { createValidator, isNonEmptyString } from '../shared/validation.js';
import {
  EDITABLE_APPLICATION_FIELDS,
  type ApplicationCommand,
  type CreateApplication,
  type RotateApplicationSecret,
  type UpdateApplication,
} from './applicationCommands.js';
import {
  LATER_FIELD_DEFAULTS,
  type ApplicationCreated,
  type ApplicationEvent,
  type ApplicationSecretRotated,
  type ApplicationState,
  type ApplicationUpdated,
  type ExistingApplication,
} from './applicationEvents.js';
import { evolveSecrets } from './applicationSecrets.js';
import { diffApplication, rejectImmutableChanges } from './applicationChanges.js';
import {
  MAX_GRACE_SECONDS,
  checkApiSelection,
  checkAuthorizationCodeFields,
  normalizeEditable,
  normalizeGrants,
} from './applicationValidation.js';

export const initialApplicationState = (): ApplicationState => ({ status: 'Empty' });

/** Empty and deleted applications look the same from outside: NOT_FOUND. */
const live = (state: ApplicationState): Exclude<ExistingApplication, { status: 'Deleted' }> => {
  if (state.status === 'Empty' || state.status === 'Deleted') {
    throw new DomainError('NOT_FOUND', 'Application not found');
  }
  return state as Exclude<ExistingApplication, { status: 'Deleted' }>;
};

const create = (command: CreateApplication, state: ApplicationState): ApplicationCreated[] => {
  if (state.status !== 'Empty') throw new DomainError('ALREADY_EXISTS', 'Application already exists');
  const d = command.data;
  const v = createValidator();
  v.check(isNonEmptyString(d.applicationId), 'applicationId', 'is required');
  v.check(isNonEmptyString(d.clientId), 'clientId', 'is required');
  v.check(isNonEmptyString(d.secretHash), 'secretHash', 'is required');
  const ownerOk = v.check(d.ownerUserId === null || isNonEmptyString(d.ownerUserId), 'ownerUserId', 'must be a user id or null');
  const fields = normalizeEditable(v, {
    name: d.name,
    organizationId: d.organizationId,
    allApis: d.allApis ?? true,
    apis: d.apis ?? [],
    scopes: d.scopes ?? [],
    applicationUrl: d.applicationUrl ?? null,
    description: d.description ?? null,
    redirectUris: d.redirectUris ?? [],
    confidential: d.confidential ?? true,
    skipConsent: d.skipConsent ?? false,
    accessTokenTtl: d.accessTokenTtl ?? null,
    refreshTokenTtl: d.refreshTokenTtl ?? null,
  });
  const grants = normalizeGrants(v, d.grants);
  if (ownerOk && grants?.includes('client_credentials')) {
    v.check(d.ownerUserId !== null, 'ownerUserId', 'is required for client_credentials (the token acts as the owner)');
  }
  v.check(d.active === undefined || typeof d.active === 'boolean', 'active', 'must be a boolean');
  v.check(d.frontend === undefined || typeof d.frontend === 'boolean', 'frontend', 'must be a boolean');
  if (v.check(d.firstParty === undefined || typeof d.firstParty === 'boolean', 'firstParty', 'must be a boolean')) {
    v.check(!(d.firstParty && d.frontend), 'firstParty', 'a first-party application is a back-office application');
  }
  if (fields.allApis !== undefined && fields.apis) checkApiSelection(v, { allApis: fields.allApis, apis: fields.apis });
  if (grants && fields.redirectUris && fields.confidential !== undefined) {
    checkAuthorizationCodeFields(v, grants, { redirectUris: fields.redirectUris, confidential: fields.confidential });
  }
  v.throwIfInvalid('Invalid application');
  return [
    {
      type: 'ApplicationCreated',
      data: {
        applicationId: d.applicationId,
        clientId: d.clientId,
        secretHash: d.secretHash,
        ownerUserId: d.ownerUserId,
        active: d.active ?? true,
        grants: grants ?? [],
        frontend: d.frontend ?? false,
        ...(d.firstParty === true && { firstParty: true as const }),
        name: fields.name!,
        organizationId: fields.organizationId!,
        allApis: fields.allApis!,
        apis: fields.apis!,
        scopes: fields.scopes!,
        applicationUrl: fields.applicationUrl ?? null,
        description: fields.description ?? null,
        redirectUris: fields.redirectUris ?? [],
        confidential: fields.confidential ?? true,
        skipConsent: fields.skipConsent ?? false,
        accessTokenTtl: fields.accessTokenTtl ?? null,
        refreshTokenTtl: fields.refreshTokenTtl ?? null,
      },
    },
  ];
};

const update = (command: UpdateApplication, state: ApplicationState): ApplicationUpdated[] => {
  const app = live(state);
  const edit = command.data.changes ?? {};
  rejectImmutableChanges(edit, app);
  const v = createValidator();
  const fields = normalizeEditable(v, edit);
  checkApiSelection(v, { allApis: fields.allApis ?? app.allApis, apis: fields.apis ?? app.apis });
  if (fields.redirectUris || fields.confidential !== undefined) {
    checkAuthorizationCodeFields(v, app.grants, {
      redirectUris: fields.redirectUris ?? app.redirectUris,
      confidential: fields.confidential ?? app.confidential,
    });
  }
  v.throwIfInvalid('Invalid application');
  const changes = diffApplication(app, fields);
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'ApplicationUpdated', data: { applicationId: app.applicationId, changes } }];
};

const rotate = (command: RotateApplicationSecret, state: ApplicationState): ApplicationSecretRotated[] => {
  const app = live(state);
  const grace = command.data.graceSeconds ?? 0;
  const v = createValidator();
  v.check(isNonEmptyString(command.data.secretHash), 'secretHash', 'is required');
  v.check(Number.isInteger(grace) && grace >= 0 && grace <= MAX_GRACE_SECONDS, 'graceSeconds', `must be an integer from 0 to ${MAX_GRACE_SECONDS}`);
  v.throwIfInvalid('Invalid secret rotation');
  const previousSecretValidUntil =
    grace > 0 ? new Date(command.metadata.now.getTime() + grace * 1000).toISOString() : null;
  return [
    {
      type: 'ApplicationSecretRotated',
      data: { applicationId: app.applicationId, secretHash: command.data.secretHash, previousSecretValidUntil },
    },
  ];
};

/**
 * Activate/deactivate are idempotent: asking for the current status records nothing (the
 * HTTP layer answers 200 with the unchanged resource). Anything on an empty or deleted
 * application is NOT_FOUND.
 */
export const decideApplication = (command: ApplicationCommand, state: ApplicationState): ApplicationEvent[] => {
  switch (command.type) {
    case 'CreateApplication':
      return create(command, state);
    case 'UpdateApplication':
      return update(command, state);
    case 'ActivateApplication': {
      const app = live(state);
      return app.status === 'Active' ? [] : [{ type: 'ApplicationActivated', data: { applicationId: app.applicationId } }];
    }
    case 'DeactivateApplication': {
      const app = live(state);
      return app.status === 'Inactive' ? [] : [{ type: 'ApplicationDeactivated', data: { applicationId: app.applicationId } }];
    }
    case 'RotateApplicationSecret':
      return rotate(command, state);
    case 'DeleteApplication': {
      const app = live(state);
      // Tollgate's own client (the console) is switched off by deactivation, never deleted:
      // a deleted one could not be created again under its fixed id.
      if (app.firstParty === true) throw new DomainError('FORBIDDEN', "Tollgate's own client cannot be deleted; deactivate it instead");
      return [{ type: 'ApplicationDeleted', data: { applicationId: app.applicationId } }];
    }
    default:
      return assertNever(command);
  }
};

export const evolveApplication = (state: ApplicationState, event: ApplicationEvent & MaybeTimed): ApplicationState => {
  const at = occurredAtOf(event);
  if (event.type === 'ApplicationCreated') {
    const { secretHash, active, firstParty, ...rest } = event.data;
    return {
      ...LATER_FIELD_DEFAULTS,
      ...rest,
      firstParty: firstParty === true,
      status: active ? 'Active' : 'Inactive',
      secrets: [{ hash: secretHash, validUntil: null }],
      createdAt: at ?? '',
      updatedAt: at ?? '',
    };
  }
  if (state.status === 'Empty') return state;
  const touched = { ...state, updatedAt: at ?? state.updatedAt };
  switch (event.type) {
    case 'ApplicationUpdated': {
      const next = { ...touched };
      // Only editable fields: a change record can never rewrite status, secrets or owner.
      for (const field of EDITABLE_APPLICATION_FIELDS) {
        const change = event.data.changes[field];
        if (change) Object.assign(next, { [field]: change.to });
      }
      return next;
    }
    case 'ApplicationActivated':
      return { ...touched, status: 'Active' };
    case 'ApplicationDeactivated':
      return { ...touched, status: 'Inactive' };
    case 'ApplicationSecretRotated':
      return { ...touched, secrets: evolveSecrets(state.secrets, event.data, at) };
    case 'ApplicationDeleted':
      return { ...touched, status: 'Deleted' };
    default:
      return ignoreUnknownEvent(event, state);
  }
};

export const applicationDecider: Decider<ApplicationState, ApplicationCommand, ApplicationEvent> = {
  decide: decideApplication,
  evolve: evolveApplication,
  initialState: initialApplicationState,
};

