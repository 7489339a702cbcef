import { Router } from '@koa/router';
import type { Context } from 'koa';
import { canManageUsers, canViewUser, gridScope } from '../authorization/applicationPolicy.js';
import { isAdmin, type Principal } from '../authorization/principal.js';
import { loadUser } from '../commands/lookups.js';
import { registerUser } from '../commands/userCommands.js';
import { toUserStreamName } from '../domain/shared/streamNames.js';
import type { UserCommand } from '../domain/user/userCommands.js';
import { HttpProblem } from '../http/problem.js';
import { readJsonBody } from '../http/jsonBody.js';
import { commandMetadata } from '../http/requestContext.js';
import { hashPassword } from '../security/passwordHash.js';
import { userQuery } from '../../projections/directoryQuery.js';
import { gridQuery } from '../../projections/gridQuery.js';
import type { AdminDeps } from './adminDeps.js';
import { applicationFromRow } from './applicationResource.js';
import { principalOf } from './authenticate.js';
import { batchDecider } from '../domain/shared/batchDecider.js';
import { userDecider } from '../domain/user/userDecider.js';
import { userResource, type RegisteredUser } from './userResource.js';
import { createUserBody, parseBody, updateUserBody } from './validation.js';
import { completeWrite, etagOf, expectedRevisionFrom, honourMinPosition } from './writeResponse.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

async function loadVisibleUser(
  ctx: Context,
  deps: AdminDeps,
  id: string,
): Promise<{ state: RegisteredUser; revision: number }> {
  const notFound = new HttpProblem(404, 'No such user.');
  if (!ID.test(id)) throw notFound;
  const { state, revision } = await loadUser(deps.store, id);
  if (state.status === 'Empty') throw notFound;
  if (!canViewUser(principalOf(ctx), { id: state.userId, organizationIds: state.organizationIds })) throw notFound;
  return { state, revision };
}

function requireAdmin(principal: Principal): void {
  if (!canManageUsers(principal)) throw new HttpProblem(403, 'Administrators only.');
}

function checkOrganizationsAllowed(principal: Principal, organizationIds: string[]): void {
  const outside = organizationIds.filter((o) => !principal.organizationIds.includes(o));
  if (outside.length > 0 && !principal.globalAccess) {
    throw new HttpProblem(403, 'Only users of a global-access organization may assign other organizations.');
  }
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
    const result = await registerUser(deps.commands, body, commandMetadata(ctx, principal, deps.now()));
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

  const userEditDecider = batchDecider(userDecider);

// Everyone may change their own email, locale and password; roles, organizations,
  // enabling and locking are for administrators. All changes land in one append.
  router.patch('/admin/users/:id', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    const body = parseBody(updateUserBody, await readJsonBody(ctx));
    const adminFields = (['roles', 'organizationIds', 'enabled', 'locked'] as const).filter((f) => body[f] !== undefined);
    if (adminFields.length > 0) {
      requireAdmin(principal);
      if (body.organizationIds) checkOrganizationsAllowed(principal, body.organizationIds);
    }
    if (state.userId !== principal.userId && !isAdmin(principal)) throw new HttpProblem(403, 'Administrators only.');
    const userId = state.userId;
    const metadata = commandMetadata(ctx, principal, deps.now());
    const commands: UserCommand[] = [];
    if (body.email !== undefined || body.locale !== undefined || body.organizationIds !== undefined) {
      commands.push({
        type: 'UpdateUserProfile',
        data: { userId, email: body.email, locale: body.locale, organizationIds: body.organizationIds },
        metadata,
      });
    }
    if (body.roles) commands.push({ type: 'ChangeUserRoles', data: { userId, roles: body.roles }, metadata });
    if (body.enabled !== undefined) {
      commands.push({ type: body.enabled ? 'EnableUser' : 'DisableUser', data: { userId }, metadata });
    }
    if (body.locked !== undefined) {
      commands.push({ type: body.locked ? 'LockUser' : 'UnlockUser', data: { userId }, metadata });
    }
    if (body.password !== undefined) {
      commands.push({ type: 'ChangePassword', data: { userId, passwordHash: await hashPassword(body.password) }, metadata });
    }
    const expectedRevision = expectedRevisionFrom(ctx);
    const result = await deps.commands.handler.handle(
      userEditDecider,
      toUserStreamName(userId),
      { metadata, commands },
      expectedRevision === undefined ? {} : { expectedRevision },
    );
    if (result.state.status === 'Empty') throw new Error('unreachable');
    await completeWrite(ctx, deps, result);
    ctx.body = userResource(result.state, result.nextExpectedRevision);
  });

  router.get('/admin/users/:id/oauth-applications', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    await honourMinPosition(ctx, deps);
    const scope = gridScope(principal);
    const query = gridQuery(ctx.query, {
      organizationIds: scope.organizationIds === 'all' ? null : scope.organizationIds,
      ownerUserId: state.userId,
    });
    // A non-admin may only list their own (gridScope forces their id; another id matches nothing).
    if (scope.ownerUserId !== undefined && scope.ownerUserId !== state.userId) {
      throw new HttpProblem(404, 'No such user.');
    }
    const page = await deps.readModel.applications.query(query);
    ctx.body = { ...page, items: page.items.map(applicationFromRow) };
  });
}
