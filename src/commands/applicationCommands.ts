import type { ApplicationCommand, ApplicationEdit } from '../domain/application/applicationCommands.js';
import {
  applicationDecider,
  decideApplication,
  evolveApplication,
  initialApplicationState,
} from '../domain/application/applicationDecider.js';
import type { ApplicationState, ExistingApplication, Grant } from '../domain/application/applicationEvents.js';
import { APPLICATION_NAME_SCOPE } from '../domain/application/applicationNameKey.js';
import { DomainError, isDomainError, validationError, type FieldError } from '../domain/shared/domainError.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { toApplicationStreamName } from '../domain/shared/streamNames.js';
import { newId } from '../security/ids.js';
import { generateClientId, generateClientSecret, hashSecret } from '../security/secretHash.js';
import type { CommandDeps } from './commandDeps.js';
import type { HandleResult } from './commandHandler.js';
import { applicationHoldsName, applicationNameKeyOf, loadApplication, loadOrganization, loadUser } from './lookups.js';
import { releaseUniqueKey, reserveUniqueKey } from './uniqueKeys.js';
import { checkTokenLifetimes } from './tokenLifetimeLimits.js';

export interface CreateApplicationInput {
  name: string;
  organizationId: string;
  ownerUserId?: string | null;
  grants: Grant[];
  active?: boolean;
  /** Derived from the owner's kind when there is an owner; must agree with it if given. */
  frontend?: boolean;
  /** The console's client (created by the system at first start); never from the admin API. */
  firstParty?: boolean;
  allApis?: boolean;
  apis?: string[];
  scopes?: string[];
  applicationUrl?: string | null;
  description?: string | null;
  /** The catalog's scope rule for the caller (src/apiCatalog/applicationScopes.ts); unchecked when absent (bootstrap). */
  scopeCheck?: ScopeCheck;
  redirectUris?: string[];
  confidential?: boolean;
  skipConsent?: boolean;
  accessTokenTtl?: number | null;
  refreshTokenTtl?: number | null;
  /** Only for bootstrap (BOOTSTRAP_CLIENT_ID / _SECRET); generated otherwise. */
  applicationId?: string;
  clientId?: string;
  clientSecret?: string;
}

export type ApplicationResult = HandleResult<ApplicationState>;

/** Field errors for the scopes an application would hold (empty: allowed). */
export type ScopeCheck = (application: ExistingApplication) => FieldError[];

const runScopeCheck = (check: ScopeCheck | undefined, application: ExistingApplication): void => {
  const errors = check ? check(application) : [];
  if (errors.length > 0) {
    throw new DomainError('VALIDATION', `Invalid scopes: ${errors.map((e) => e.message).join('; ')}`, errors);
  }
};

const nameKeyOf = (state: ApplicationState): string | null =>
  state.status === 'Empty' || state.status === 'Deleted' ? null : applicationNameKeyOf(state);

const checkOrganization = async (deps: CommandDeps, organizationId: string): Promise<void> => {
  const { state } = await loadOrganization(deps.store, organizationId);
  if (state.status === 'Empty') throw validationError('organizationId', 'unknown organization');
  if (state.status === 'Disabled') throw validationError('organizationId', 'organization is disabled');
};

/**
 * Creates an application: validate (a dry-run decide), check the organization and owner,
 * reserve the name, then append ApplicationCreated. If the append fails after the
 * reservation, the reservation is left behind; once its lease expires the holder check
 * finds no application holding the name and the next creator takes it over.
 * The clear secret is returned once, here, and stored nowhere.
 */
export const createApplication = async (
  deps: CommandDeps,
  input: CreateApplicationInput,
  metadata: CommandMetadata,
): Promise<ApplicationResult & { clientSecret: string }> => {
  if (input.clientSecret !== undefined && input.clientSecret.length < 16) {
    throw validationError('clientSecret', 'must be at least 16 characters');
  }
  const { applicationId = newId(), clientId = generateClientId(), clientSecret = generateClientSecret(), scopeCheck, ...fields } = input;
  const ownerUserId = input.ownerUserId ?? null;
  const secretHash = hashSecret(clientSecret);
  const command = (frontend: boolean | undefined): ApplicationCommand => ({
    type: 'CreateApplication',
    data: { ...fields, applicationId, clientId, secretHash, ownerUserId, frontend },
    metadata,
  });
  // Validate the input before touching other streams: decide is pure, so a dry run is free.
  const created = decideApplication(command(input.frontend), initialApplicationState());
  const preview = created.reduce(evolveApplication, initialApplicationState());
  if (preview.status === 'Empty' || preview.status === 'Deleted') throw new Error('unreachable: creation decided nothing');
  checkTokenLifetimes(deps, preview);
  await checkOrganization(deps, preview.organizationId);
  let frontend = input.frontend;
  if (ownerUserId !== null) {
    const { state: owner } = await loadUser(deps.store, ownerUserId);
    if (owner.status === 'Empty') throw validationError('ownerUserId', 'unknown user');
    const ownerIsCustomer = owner.kind === 'customer';
    if (frontend !== undefined && frontend !== ownerIsCustomer) {
      throw validationError('frontend', 'must match the owner: storefront applications belong to customer users');
    }
    frontend = ownerIsCustomer;
  }
  runScopeCheck(scopeCheck, { ...preview, frontend: frontend ?? preview.frontend });
  const key = applicationNameKeyOf(preview);
  await reserveUniqueKey(
    deps,
    { scope: APPLICATION_NAME_SCOPE, key, ownerId: applicationId, field: 'name' },
    applicationHoldsName(deps.store),
    metadata,
  );
  const result = await deps.handler.handle(applicationDecider, toApplicationStreamName(applicationId), command(frontend));
  return { ...result, clientSecret };
};

/**
 * Edits an application. A change of name or organization moves its name key: the new key
 * is reserved before the update is appended and the old one released after. The append
 * expects the revision the new key was computed from; if another write slipped in, the
 * whole step is redone (or STALE_REVISION when the caller pinned a revision).
 */
export const updateApplication = async (
  deps: CommandDeps,
  input: { applicationId: string; changes: ApplicationEdit; expectedRevision?: number; scopeCheck?: ScopeCheck },
  metadata: CommandMetadata,
  maxAttempts = 4,
): Promise<ApplicationResult> => {
  const stream = toApplicationStreamName(input.applicationId);
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadApplication(deps.store, input.applicationId);
    if (input.expectedRevision !== undefined && input.expectedRevision !== loaded.revision) {
      // Refuse before reserving anything: a stale edit must leave no trace.
      throw new DomainError('STALE_REVISION', `The resource changed: expected revision ${input.expectedRevision}, current ${loaded.revision}`);
    }
    const revision = input.expectedRevision ?? loaded.revision;
    const command: ApplicationCommand = {
      type: 'UpdateApplication',
      data: { applicationId: input.applicationId, changes: input.changes },
      metadata,
    };
    const decided = decideApplication(command, loaded.state);
    const next = decided.reduce(evolveApplication, loaded.state) as ExistingApplication;
    // What the application may call or hold changes: its scopes must still be allowed.
    const { scopes, apis, allApis } = input.changes as { scopes?: unknown; apis?: unknown; allApis?: unknown };
    if (scopes !== undefined || apis !== undefined || allApis !== undefined) runScopeCheck(input.scopeCheck, next);
    if (decided.length > 0) checkTokenLifetimes(deps, next);
    const before = nameKeyOf(loaded.state);
    const after = nameKeyOf(next);
    if (after !== null && after !== before) {
      if (next.organizationId !== (loaded.state as ExistingApplication).organizationId) {
        await checkOrganization(deps, next.organizationId);
      }
      await reserveUniqueKey(
        deps,
        { scope: APPLICATION_NAME_SCOPE, key: after, ownerId: input.applicationId, field: 'name' },
        applicationHoldsName(deps.store),
        metadata,
      );
    }
    try {
      const result = await deps.handler.handle(applicationDecider, stream, command, { expectedRevision: revision });
      if (before !== null && after !== before) {
        await releaseUniqueKey(deps, { scope: APPLICATION_NAME_SCOPE, key: before, ownerId: input.applicationId }, metadata);
      }
      return result;
    } catch (error) {
      // The append lost: give back the name reserved for it, unless the application holds it
      // after all (a concurrent edit of the same application to the same name won).
      if (after !== null && after !== before && !(await applicationHoldsName(deps.store)(input.applicationId, after))) {
        await releaseUniqueKey(deps, { scope: APPLICATION_NAME_SCOPE, key: after, ownerId: input.applicationId }, metadata);
      }
      const retry = isDomainError(error) && error.code === 'STALE_REVISION' && input.expectedRevision === undefined;
      if (!retry) throw error;
      if (attempt >= maxAttempts) throw new DomainError('CONFLICT', 'The application kept changing; try again');
    }
  }
};

/** Deletes the application and frees its name. */
export const deleteApplication = async (
  deps: CommandDeps,
  input: { applicationId: string; expectedRevision?: number },
  metadata: CommandMetadata,
): Promise<ApplicationResult> => {
  const result = await deps.handler.handle(
    applicationDecider,
    toApplicationStreamName(input.applicationId),
    { type: 'DeleteApplication', data: { applicationId: input.applicationId }, metadata },
    input.expectedRevision === undefined ? {} : { expectedRevision: input.expectedRevision },
  );
  if (result.state.status === 'Deleted') {
    const key = applicationNameKeyOf(result.state);
    await releaseUniqueKey(deps, { scope: APPLICATION_NAME_SCOPE, key, ownerId: input.applicationId }, metadata);
  }
  return result;
};

export const setApplicationActive = (
  deps: CommandDeps,
  input: { applicationId: string; active: boolean; expectedRevision?: number },
  metadata: CommandMetadata,
): Promise<ApplicationResult> =>
  deps.handler.handle(
    applicationDecider,
    toApplicationStreamName(input.applicationId),
    {
      type: input.active ? 'ActivateApplication' : 'DeactivateApplication',
      data: { applicationId: input.applicationId },
      metadata,
    },
    input.expectedRevision === undefined ? {} : { expectedRevision: input.expectedRevision },
  );

/** Generates and stores (hashed) a new secret; the clear secret is returned once. */
export const rotateApplicationSecret = async (
  deps: CommandDeps,
  input: { applicationId: string; graceSeconds?: number; expectedRevision?: number },
  metadata: CommandMetadata,
): Promise<ApplicationResult & { clientSecret: string }> => {
  const clientSecret = generateClientSecret();
  const result = await deps.handler.handle(
    applicationDecider,
    toApplicationStreamName(input.applicationId),
    {
      type: 'RotateApplicationSecret',
      data: {
        applicationId: input.applicationId,
        secretHash: hashSecret(clientSecret),
        ...(input.graceSeconds !== undefined && { graceSeconds: input.graceSeconds }),
      },
      metadata,
    },
    input.expectedRevision === undefined ? {} : { expectedRevision: input.expectedRevision },
  );
  return { ...result, clientSecret };
};
