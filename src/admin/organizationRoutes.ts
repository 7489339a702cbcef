import { Router } from '@koa/router';
import type { Context } from 'koa';
import { canSeeOrganization } from '../authorization/applicationPolicy.js';
import { canCreateOrganizations, canManageOrganization, organizationListScope } from '../authorization/organizationPolicy.js';
import { loadOrganization } from '../commands/lookups.js';
import { createOrganization, updateOrganization } from '../commands/organizationCommands.js';
import type { OrganizationState } from '../domain/organization/organizationEvents.js';
import { HttpProblem } from '../http/problem.js';
import { readJsonBody } from '../http/jsonBody.js';
import { commandMetadata } from '../http/requestContext.js';
import { organizationQuery } from '../../projections/directoryQuery.js';
import type { AdminDeps } from './adminDeps.js';
import { principalOf } from './authenticate.js';
import { createOrganizationBody, parseBody, updateOrganizationBody } from './validation.js';
import { completeWrite, etagOf, expectedRevisionFrom, honourMinPosition } from './writeResponse.js';

type ExistingOrganization = Exclude<OrganizationState, { status: 'Empty' }>;

const organizationResource = (state: ExistingOrganization, revision: number) => ({
  id: state.organizationId,
  name: state.name,
  globalAccess: state.globalAccess,
  enabled: state.status === 'Enabled',
  revision,
});

/** An organization the caller may see (one of theirs; any with global access), else 404 (admin API and console). */
export async function loadVisibleOrganization(ctx: Context, deps: Pick<AdminDeps, 'store'>) {
  const id = ctx.params.id!;
  const notFound = new HttpProblem(404, 'No such organization.');
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw notFound;
  const { state, revision } = await loadOrganization(deps.store, id);
  if (state.status === 'Empty' || !canSeeOrganization(principalOf(ctx), id)) throw notFound;
  return { state, revision };
}

/** Organizations: everyone lists the ones they belong to; global-access admins manage all. */
export function registerOrganizationRoutes(router: Router, deps: AdminDeps): void {
  router.get('/admin/organizations', async (ctx) => {
    const principal = principalOf(ctx);
    await honourMinPosition(ctx, deps);
    const query = organizationQuery(ctx.query, { organizationIds: organizationListScope(principal) });
    ctx.body = await deps.readModel.organizations.list(query);
  });

  router.post('/admin/organizations', async (ctx) => {
    const principal = principalOf(ctx);
    if (!canCreateOrganizations(principal)) {
      throw new HttpProblem(403, 'Only administrators of a global-access organization create organizations.');
    }
    const body = parseBody(createOrganizationBody, await readJsonBody(ctx));
    const result = await createOrganization(deps.commands, body, commandMetadata(ctx, principal, deps.now()));
    if (result.state.status === 'Empty') throw new Error('unreachable');
    await completeWrite(ctx, deps, result);
    ctx.status = 201;
    ctx.set('Location', `/admin/organizations/${result.state.organizationId}`);
    ctx.body = organizationResource(result.state, result.nextExpectedRevision);
  });

  router.get('/admin/organizations/:id', async (ctx) => {
    const { state, revision } = await loadVisibleOrganization(ctx, deps);
    ctx.set('ETag', etagOf(revision));
    ctx.body = organizationResource(state, revision);
  });

  router.patch('/admin/organizations/:id', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleOrganization(ctx, deps);
    if (!canManageOrganization(principal, state.organizationId)) throw new HttpProblem(403, 'Administrators only.');
    const body = parseBody(updateOrganizationBody, await readJsonBody(ctx));
    const result = await updateOrganization(
      deps.commands,
      { organizationId: state.organizationId, ...body, expectedRevision: expectedRevisionFrom(ctx) },
      commandMetadata(ctx, principal, deps.now()),
    );
    if (result.state.status === 'Empty') throw new Error('unreachable');
    await completeWrite(ctx, deps, result);
    ctx.body = organizationResource(result.state, result.nextExpectedRevision);
  });
}
