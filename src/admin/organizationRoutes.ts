import { Router } from '@koa/router';
import type { Context } from 'koa';
import { canSeeOrganization } from '../authorization/applicationPolicy.js';
import { isAdmin } from '../authorization/principal.js';
import { loadOrganization } from '../commands/lookups.js';
import { createOrganization } from '../commands/organizationCommands.js';
import { organizationDecider } from '../domain/organization/organizationDecider.js';
import type { OrganizationCommand } from '../domain/organization/organizationCommands.js';
import type { OrganizationState } from '../domain/organization/organizationEvents.js';
import { batchDecider } from '../domain/shared/batchDecider.js';
import { toOrganizationStreamName } from '../domain/shared/streamNames.js';
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

/** Rename and enable/disable in one append. */
const organizationEditDecider = batchDecider(organizationDecider);

async function loadVisibleOrganization(ctx: Context, deps: AdminDeps) {
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
    const query = organizationQuery(ctx.query, {
      organizationIds: principal.globalAccess ? null : principal.organizationIds,
    });
    ctx.body = await deps.readModel.organizations.list(query);
  });

  router.post('/admin/organizations', async (ctx) => {
    const principal = principalOf(ctx);
    if (!isAdmin(principal) || !principal.globalAccess) {
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
    if (!isAdmin(principal)) throw new HttpProblem(403, 'Administrators only.');
    const body = parseBody(updateOrganizationBody, await readJsonBody(ctx));
    const metadata = commandMetadata(ctx, principal, deps.now());
    const organizationId = state.organizationId;
    const commands: OrganizationCommand[] = [];
    if (body.name !== undefined) commands.push({ type: 'RenameOrganization', data: { organizationId, name: body.name }, metadata });
    if (body.enabled !== undefined) {
      commands.push({ type: body.enabled ? 'EnableOrganization' : 'DisableOrganization', data: { organizationId }, metadata });
    }
    const expectedRevision = expectedRevisionFrom(ctx);
    const result = await deps.commands.handler.handle(
      organizationEditDecider,
      toOrganizationStreamName(organizationId),
      { commands, metadata },
      expectedRevision === undefined ? {} : { expectedRevision },
    );
    if (result.state.status === 'Empty') throw new Error('unreachable');
    await completeWrite(ctx, deps, result);
    ctx.body = organizationResource(result.state, result.nextExpectedRevision);
  });
}
