import { Router } from '@koa/router';
import type { Context } from 'koa';
import { canManageUsers, userApplicationsScope } from '../authorization/applicationPolicy.js';
import { isAdmin, type Principal } from '../authorization/principal.js';
import { loadVisibleUserFor } from '../authorization/visibleUser.js';
import { isDomainError } from '../domain/shared/domainError.js';
import { registerUser } from '../commands/userCommands.js';
import { editUser } from '../commands/userEdits.js';
import { checkOrganizationsAllowed, checkUserEdit } from '../authorization/userEditPolicy.js';
import { HttpProblem } from '../http/problem.js';
import { readJsonBody } from '../http/jsonBody.js';
import { commandMetadata } from '../http/requestContext.js';
import { userQuery } from '../../projections/directoryQuery.js';
import { gridQuery } from '../../projections/gridQuery.js';
import type { AdminDeps } from './adminDeps.js';
import { applicationFromRow } from './applicationResource.js';
import { principalOf } from './authenticate.js';
import { userResource, type RegisteredUser } from './userResource.js';
import { createUserBody, parseBody, updateUserBody } from './validation.js';
import { completeWrite, etagOf, expectedRevisionFrom, honourMinPosition } from './writeResponse.js';

async function loadVisibleUser(
  ctx: Context,
  deps: AdminDeps,
  id: string,
): Promise<{ state: RegisteredUser; revision: number }> {
  try {
    return await loadVisibleUserFor(principalOf(ctx), deps.store, id);
  } catch (error) {
    if (isDomainError(error) && error.code === 'NOT_FOUND') throw new HttpProblem(404, error.message);
    throw error;
  }
}

function requireAdmin(principal: Principal): void {
  if (!canManageUsers(principal)) throw new HttpProblem(403, 'Administrators only.');
}

export function registerUserRoutes(router: Router, deps: AdminDeps): void {
  router.get('/admin/me', async (ctx) => {
    const principal = principalOf(ctx);
    const { state, revision } = await loadVisibleUser(ctx, deps, principal.userId);
    ctx.set('ETag', etagOf(revision));
    ctx.body = { ...userResource(state, revision), globalAccess: principal.globalAccess };
  });

  router.get('/admin/users', async (ctx) => {
    const principal = principalOf(ctx);
    requireAdmin(principal);
    await honourMinPosition(ctx, deps);
    const query = userQuery(ctx.query, { organizationIds: principal.globalAccess ? null : principal.organizationIds });
    ctx.body = await deps.readModel.users.list(query);
  });

  router.post('/admin/users', async (ctx) => {
    const principal = principalOf(ctx);
    requireAdmin(principal);
    const body = parseBody(createUserBody, await readJsonBody(ctx));
    checkOrganizationsAllowed(principal, body.organizationIds);
    const result = await registerUser(deps.commands, body, commandMetadata(ctx, principal.userId, deps.now()));
    if (result.state.status === 'Empty') throw new Error('unreachable');
    await completeWrite(ctx, deps, result);
    ctx.status = 201;
    ctx.set('Location', `/admin/users/${result.state.userId}`);
    ctx.body = userResource(result.state, result.nextExpectedRevision);
  });

  router.get('/admin/users/:id', async (ctx) => {
    const { state, revision } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    ctx.set('ETag', etagOf(revision));
    ctx.body = userResource(state, revision);
  });

  // Everyone may change their own email, locale and password; roles, organizations,
  // enabling and locking are for administrators. All changes land in one append.
  router.patch('/admin/users/:id', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    const body = parseBody(updateUserBody, await readJsonBody(ctx));
    checkUserEdit(principal, state.userId, body);
    const result = await editUser(
      deps.commands,
      { userId: state.userId, changes: body, expectedRevision: expectedRevisionFrom(ctx) },
      commandMetadata(ctx, principal.userId, deps.now()),
    );
    if (result.state.status === 'Empty') throw new Error('unreachable');
    await completeWrite(ctx, deps, result);
    ctx.body = userResource(result.state, result.nextExpectedRevision);
  });

  router.get('/admin/users/:id/oauth-applications', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    await honourMinPosition(ctx, deps);
    const scope = userApplicationsScope(principal, state.userId);
    if (scope === null) throw new HttpProblem(404, 'No such user.');
    const query = gridQuery(ctx.query, scope);
    const page = await deps.readModel.applications.query(query);
    ctx.body = { ...page, items: page.items.map(applicationFromRow) };
  });
}
