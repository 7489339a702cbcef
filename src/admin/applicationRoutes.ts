import { Router } from '@koa/router';
import type { Context } from 'koa';
import { applicationScopeErrors } from '../apiCatalog/applicationScopes.js';
import { canCreateInOrganization, canOwnApplicationAs, gridScope, scopeGranterOf } from '../authorization/applicationPolicy.js';
import { isAdmin, type Principal } from '../authorization/principal.js';
import {
  createApplication,
  deleteApplication,
  rotateApplicationSecret,
  setApplicationActive,
  updateApplication,
  type ScopeCheck,
} from '../commands/applicationCommands.js';
import { loadUser } from '../commands/lookups.js';
import { showsClientSecret } from '../domain/application/applicationSecrets.js';
import type { Grant } from '../domain/application/applicationEvents.js';
import { validationError } from '../domain/shared/domainError.js';
import { HttpProblem } from '../http/problem.js';
import { readJsonBody } from '../http/jsonBody.js';
import { commandMetadata } from '../http/requestContext.js';
import { gridQuery } from '../../projections/gridQuery.js';
import { applicationNamesAsOf, registryPageAsOf } from '../audit/registryAsOf.js';
import { registryResource } from '../audit/registryExport.js';
import type { AdminDeps } from './adminDeps.js';
import { loadVisibleApplication, parseAsOf, requireOwnerAuthority } from './applicationAccess.js';
import { applicationFromRow, applicationFromState } from './applicationResource.js';
import { principalOf } from './authenticate.js';
import {
  createApplicationBody,
  parseBody,
  rotateSecretBody,
  updateApplicationBody,
  type CreateApplicationBody,
} from './validation.js';
import { completeWrite, etagOf, expectedRevisionFrom, honourMinPosition } from './writeResponse.js';

/** The caller's organization, or the one they chose (outside their own only with global access). */
export function targetOrganization(principal: Principal, requested: string | undefined): string {
  const organizationId = requested ?? principal.organizationIds[0];
  if (organizationId === undefined) throw validationError('organizationId', 'is required');
  if (!canCreateInOrganization(principal, organizationId)) {
    throw new HttpProblem(403, 'Only users of a global-access organization may choose another organization.');
  }
  return organizationId;
}

/** The catalog's scope rule for this caller: one validation for create and update (admin API and console). */
export const scopeCheckFor = (deps: Pick<AdminDeps, 'catalog'>, principal: Principal): ScopeCheck => (application) =>
  applicationScopeErrors(deps.catalog, application, scopeGranterOf(principal));

/** Create an application and answer 201 with the resource and the secret (shown once). */
export async function createAndRespond(
  ctx: Context,
  deps: AdminDeps,
  input: Omit<CreateApplicationBody, 'organizationId' | 'ownerUserId'> & { organizationId: string; ownerUserId: string | null },
): Promise<void> {
  const principal = principalOf(ctx);
  const result = await createApplication(
    deps.commands,
    { ...input, grants: input.grants as Grant[], scopeCheck: scopeCheckFor(deps, principal) },
    commandMetadata(ctx, principal, deps.now()),
  );
  if (result.state.status === 'Empty' || result.state.status === 'Deleted') throw new Error('unreachable');
  await completeWrite(ctx, deps, result);
  const row = await deps.readModel.applications.get(result.state.applicationId);
  ctx.status = 201;
  ctx.set('Location', `/admin/oauth-applications/${result.state.applicationId}`);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = {
    ...applicationFromState(result.state, result.nextExpectedRevision, row),
    ...(showsClientSecret(result.state) && { clientSecret: result.clientSecret }),
  };
}

/**
 * The owner must be a user of the target organization whom the caller may act as
 * (authority over every organization of the owner, or oneself): the application's tokens
 * act as the owner. Others answer as if there were no such user, so nothing leaks.
 */
export async function checkOwner(principal: Principal, deps: Pick<AdminDeps, 'store'>, ownerUserId: string, organizationId: string): Promise<void> {
  const { state } = await loadUser(deps.store, ownerUserId);
  if (state.status === 'Empty' || !canOwnApplicationAs(principal, { id: state.userId, organizationIds: state.organizationIds }, organizationId)) {
    throw validationError('ownerUserId', 'no such user in the organization that you may act as');
  }
}

/**
 * The system grid's Create (admin API and console): administrators only; the organization as
 * targetOrganization; the owner as given, or the caller for client credentials; checkOwner.
 */
export async function planApplicationCreation(
  principal: Principal,
  deps: Pick<AdminDeps, 'store'>,
  body: { organizationId?: string; ownerUserId?: string; grants: readonly string[] },
): Promise<{ organizationId: string; ownerUserId: string | null }> {
  if (!isAdmin(principal)) {
    throw new HttpProblem(403, 'Only administrators manage applications here; use /admin/me/oauth-applications.');
  }
  const organizationId = targetOrganization(principal, body.organizationId);
  const ownerUserId =
    body.ownerUserId ?? (body.grants.includes('client_credentials') ? principal.userId : null);
  if (ownerUserId !== null) await checkOwner(principal, deps, ownerUserId, organizationId);
  return { organizationId, ownerUserId };
}

/** Moving an application to another organization (admin API and console): allowed there, and its owner may be acted as there. */
export async function checkApplicationMove(
  principal: Principal,
  deps: Pick<AdminDeps, 'store'>,
  application: { organizationId: string; ownerUserId: string | null },
  organizationId: string | undefined,
): Promise<void> {
  if (organizationId === undefined || organizationId === application.organizationId) return;
  targetOrganization(principal, organizationId);
  if (application.ownerUserId !== null) await checkOwner(principal, deps, application.ownerUserId, organizationId);
}

export function registerApplicationRoutes(router: Router, deps: AdminDeps): void {
  router.get('/admin/oauth-applications', async (ctx) => {
    await honourMinPosition(ctx, deps);
    const scope = gridScope(principalOf(ctx));
    const query = gridQuery(ctx.query, {
      organizationIds: scope.organizationIds === 'all' ? null : scope.organizationIds,
      ...(scope.ownerUserId !== undefined && { ownerUserId: scope.ownerUserId }),
    });
    const asOf = parseAsOf(ctx.query.asOf);
    if (asOf !== undefined) {
      const past = await registryPageAsOf(deps.store, asOf, query);
      ctx.body = { ...past, asOf: asOf.toISOString(), items: past.items.map(registryResource) };
      return;
    }
    const page = await deps.readModel.applications.query(query);
    ctx.body = { ...page, items: page.items.map(applicationFromRow) };
  });

  router.post('/admin/oauth-applications', async (ctx) => {
    const principal = principalOf(ctx);
    if (!isAdmin(principal)) {
      throw new HttpProblem(403, 'Only administrators manage applications here; use /admin/me/oauth-applications.');
    }
    const body = parseBody(createApplicationBody, await readJsonBody(ctx));
    const target = await planApplicationCreation(principal, deps, body);
    await createAndRespond(ctx, deps, { ...body, ...target });
  });

  router.get('/admin/oauth-applications/:id', async (ctx) => {
    await honourMinPosition(ctx, deps);
    const asOf = parseAsOf(ctx.query.asOf);
    const { state, revision } = await loadVisibleApplication(ctx, deps, { asOf });
    // As of a moment, names are the ones of then and last use is not history (as in the grid).
    const side = asOf === undefined
      ? await deps.readModel.applications.get(state.applicationId, { includeDeleted: true })
      : await applicationNamesAsOf(deps.store, asOf, state);
    ctx.set('ETag', etagOf(revision));
    ctx.body = applicationFromState(state, revision, side);
  });

  router.patch('/admin/oauth-applications/:id', async (ctx) => {
    const principal = principalOf(ctx);
    const { state, revision } = await loadVisibleApplication(ctx, deps, { manage: true });
    await requireOwnerAuthority(ctx, deps, state);
    const changes = parseBody(updateApplicationBody, await readJsonBody(ctx));
    const expectedRevision = expectedRevisionFrom(ctx);
    // A stale If-Match fails before anything is touched (a rename would reserve the new name first).
    if (expectedRevision !== undefined && expectedRevision !== revision) {
      throw new HttpProblem(412, `The application changed: expected revision ${expectedRevision}, current ${revision}.`);
    }
    await checkApplicationMove(principal, deps, state, changes.organizationId);
    const result = await updateApplication(
      deps.commands,
      { applicationId: state.applicationId, changes, expectedRevision, scopeCheck: scopeCheckFor(deps, principal) },
      commandMetadata(ctx, principal, deps.now()),
    );
    await respondWithState(ctx, deps, result);
  });

  router.delete('/admin/oauth-applications/:id', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleApplication(ctx, deps, { manage: true });
    const result = await deleteApplication(
      deps.commands,
      { applicationId: state.applicationId, expectedRevision: expectedRevisionFrom(ctx) },
      commandMetadata(ctx, principal, deps.now()),
    );
    await completeWrite(ctx, deps, result);
    ctx.status = 204;
  });

  for (const [action, active] of [['activate', true], ['deactivate', false]] as const) {
    router.post(`/admin/oauth-applications/:id/${action}`, async (ctx) => {
      const principal = principalOf(ctx);
      const { state } = await loadVisibleApplication(ctx, deps, { manage: true });
      const result = await setApplicationActive(
        deps.commands,
        { applicationId: state.applicationId, active, expectedRevision: expectedRevisionFrom(ctx) },
        commandMetadata(ctx, principal, deps.now()),
      );
      await respondWithState(ctx, deps, result);
    });
  }

  router.post('/admin/oauth-applications/:id/rotate-secret', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleApplication(ctx, deps, { manage: true });
    await requireOwnerAuthority(ctx, deps, state);
    const body = parseBody(rotateSecretBody, await readJsonBody(ctx, { allowEmpty: true }));
    const result = await rotateApplicationSecret(
      deps.commands,
      { applicationId: state.applicationId, graceSeconds: body.graceSeconds, expectedRevision: expectedRevisionFrom(ctx) },
      commandMetadata(ctx, principal, deps.now()),
    );
    await respondWithState(ctx, deps, result);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...(ctx.body as object), ...(result.state.status !== 'Empty' && showsClientSecret(result.state) && { clientSecret: result.clientSecret }) };
  });
}

async function respondWithState(
  ctx: Context,
  deps: AdminDeps,
  result: Awaited<ReturnType<typeof updateApplication>>,
): Promise<void> {
  if (result.state.status === 'Empty') throw new HttpProblem(404, 'No such OAuth application.');
  await completeWrite(ctx, deps, result);
  const row = await deps.readModel.applications.get(result.state.applicationId, { includeDeleted: true });
  ctx.body = applicationFromState(result.state, result.nextExpectedRevision, row);
}
