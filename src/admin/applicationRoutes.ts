import { Router } from '@koa/router';
import type { Context } from 'koa';
import { canCreateFromSystemGrid, gridScope } from '../authorization/applicationPolicy.js';
import { checkApplicationMove, planSystemGridCreation, targetOrganization } from '../authorization/applicationTargets.js';
import {
  createApplication,
  deleteApplication,
  rotateApplicationSecret,
  setApplicationActive,
  updateApplication,
} from '../commands/applicationCommands.js';
import { showsClientSecret } from '../domain/application/applicationSecrets.js';
import type { Grant } from '../domain/application/applicationEvents.js';
import { toApplicationStreamName, toTokensStreamName } from '../domain/shared/streamNames.js';
import { HttpProblem } from '../http/problem.js';
import { readJsonBody } from '../http/jsonBody.js';
import { commandMetadata } from '../http/requestContext.js';
import { gridQuery } from '../../projections/gridQuery.js';
import { parseDirectoryPaging } from '../../projections/directoryQuery.js';
import type { AdminDeps } from './adminDeps.js';
import { loadVisibleApplication, parseAsOf } from './applicationAccess.js';
import { applicationFromRow, applicationFromState } from './applicationResource.js';
import { principalOf } from './authenticate.js';
import { toHistoryEntry } from './historyEntry.js';
import {
  createApplicationBody,
  parseBody,
  rotateSecretBody,
  updateApplicationBody,
  type CreateApplicationBody,
} from './validation.js';
import { completeWrite, etagOf, expectedRevisionFrom, honourMinPosition } from './writeResponse.js';

export { targetOrganization };

/** Create an application and answer 201 with the resource and the secret (shown once). */
export async function createAndRespond(
  ctx: Context,
  deps: AdminDeps,
  input: Omit<CreateApplicationBody, 'organizationId' | 'ownerUserId'> & { organizationId: string; ownerUserId: string | null },
): Promise<void> {
  const principal = principalOf(ctx);
  const result = await createApplication(
    deps.commands,
    { ...input, grants: input.grants as Grant[] },
    commandMetadata(ctx, principal.userId, deps.now()),
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

export function registerApplicationRoutes(router: Router, deps: AdminDeps): void {
  router.get('/admin/oauth-applications', async (ctx) => {
    await honourMinPosition(ctx, deps);
    const scope = gridScope(principalOf(ctx));
    const query = gridQuery(ctx.query, {
      organizationIds: scope.organizationIds === 'all' ? null : scope.organizationIds,
      ...(scope.ownerUserId !== undefined && { ownerUserId: scope.ownerUserId }),
    });
    const page = await deps.readModel.applications.query(query);
    ctx.body = { ...page, items: page.items.map(applicationFromRow) };
  });

  router.post('/admin/oauth-applications', async (ctx) => {
    const principal = principalOf(ctx);
    if (!canCreateFromSystemGrid(principal)) {
      throw new HttpProblem(403, 'Only administrators manage applications here; use /admin/me/oauth-applications.');
    }
    const body = parseBody(createApplicationBody, await readJsonBody(ctx));
    const target = await planSystemGridCreation(principal, deps.store, body);
    await createAndRespond(ctx, deps, { ...body, ...target });
  });

  router.get('/admin/oauth-applications/:id', async (ctx) => {
    await honourMinPosition(ctx, deps);
    const asOf = parseAsOf(ctx.query.asOf);
    const { state, revision } = await loadVisibleApplication(ctx, deps, { asOf });
    const row = await deps.readModel.applications.get(state.applicationId, { includeDeleted: true });
    ctx.set('ETag', etagOf(revision));
    ctx.body = applicationFromState(state, revision, row);
  });

  router.patch('/admin/oauth-applications/:id', async (ctx) => {
    const principal = principalOf(ctx);
    const { state, revision } = await loadVisibleApplication(ctx, deps, { manage: true });
    const changes = parseBody(updateApplicationBody, await readJsonBody(ctx));
    const expectedRevision = expectedRevisionFrom(ctx);
    // A stale If-Match fails before anything is touched (a rename would reserve the new name first).
    if (expectedRevision !== undefined && expectedRevision !== revision) {
      throw new HttpProblem(412, `The application changed: expected revision ${expectedRevision}, current ${revision}.`);
    }
    await checkApplicationMove(principal, deps.store, state, changes.organizationId);
    const result = await updateApplication(
      deps.commands,
      { applicationId: state.applicationId, changes, expectedRevision },
      commandMetadata(ctx, principal.userId, deps.now()),
    );
    await respondWithState(ctx, deps, result);
  });

  router.delete('/admin/oauth-applications/:id', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleApplication(ctx, deps, { manage: true });
    const result = await deleteApplication(
      deps.commands,
      { applicationId: state.applicationId, expectedRevision: expectedRevisionFrom(ctx) },
      commandMetadata(ctx, principal.userId, deps.now()),
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
        commandMetadata(ctx, principal.userId, deps.now()),
      );
      await respondWithState(ctx, deps, result);
    });
  }

  router.post('/admin/oauth-applications/:id/rotate-secret', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleApplication(ctx, deps, { manage: true });
    const body = parseBody(rotateSecretBody, await readJsonBody(ctx, { allowEmpty: true }));
    const result = await rotateApplicationSecret(
      deps.commands,
      { applicationId: state.applicationId, graceSeconds: body.graceSeconds, expectedRevision: expectedRevisionFrom(ctx) },
      commandMetadata(ctx, principal.userId, deps.now()),
    );
    await respondWithState(ctx, deps, result);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...(ctx.body as object), ...(result.state.status !== 'Empty' && showsClientSecret(result.state) && { clientSecret: result.clientSecret }) };
  });

  router.get('/admin/oauth-applications/:id/history', async (ctx) => {
    const { state } = await loadVisibleApplication(ctx, deps, { allowDeleted: true });
    const paging = parseDirectoryPaging(ctx.query);
    const include = String(ctx.query.include ?? '');
    if (include !== '' && include !== 'tokens') {
      throw new HttpProblem(400, 'include may only be "tokens".', [{ field: 'include', message: 'must be tokens' }]);
    }
    const streams = [toApplicationStreamName(state.applicationId)];
    if (include === 'tokens') streams.push(toTokensStreamName(state.applicationId));
    const events = (await Promise.all(streams.map((s) => deps.store.readStream(s))))
      .flat()
      .sort((a, b) => a.position - b.position);
    const start = (paging.page - 1) * paging.perPage;
    ctx.body = {
      items: events.slice(start, start + paging.perPage).map(toHistoryEntry),
      total: events.length,
      page: paging.page,
      perPage: paging.perPage,
    };
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
