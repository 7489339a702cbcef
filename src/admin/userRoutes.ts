import { Router } from '@koa/router';
import type { Context } from 'koa';
import { userApplicationsScope } from '../authorization/applicationPolicy.js';
import {
  canListUsers,
  canReadAsUser,
  canRegisterUsers,
  canViewUser,
  canViewUserHistory,
  passwordChangeNeedsCurrentPassword,
  userChangeRefusal,
  userDirectoryScope,
  userRegistrationRefusal,
} from '../authorization/userPolicy.js';
import { loadUser } from '../commands/lookups.js';
import { registerUser } from '../commands/userCommands.js';
import { updateUser } from '../commands/userUpdateCommands.js';
import { HttpProblem } from '../http/problem.js';
import { readJsonBody } from '../http/jsonBody.js';
import { commandMetadata } from '../http/requestContext.js';
import { parseDirectoryPaging, userQuery } from '../../projections/directoryQuery.js';
import { toUserStreamName } from '../domain/shared/streamNames.js';
import { toHistoryEntry } from './historyEntry.js';
import { gridQuery } from '../../projections/gridQuery.js';
import type { AdminDeps } from './adminDeps.js';
import { applicationFromRow } from './applicationResource.js';
import { principalOf } from './authenticate.js';
import { userResource, type RegisteredUser } from './userResource.js';
import { createUserBody, parseBody, updateUserBody } from './validation.js';
import { completeWrite, etagOf, expectedRevisionFrom, honourMinPosition } from './writeResponse.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A user the caller may see (userPolicy.canViewUser), folded from its stream; others 404 (admin API and console). */
export async function loadVisibleUser(
  ctx: Context,
  deps: Pick<AdminDeps, 'store'>,
  id: string,
): Promise<{ state: RegisteredUser; revision: number }> {
  const notFound = new HttpProblem(404, 'No such user.');
  if (!ID.test(id)) throw notFound;
  const { state, revision } = await loadUser(deps.store, id);
  if (state.status === 'Empty') throw notFound;
  if (!canViewUser(principalOf(ctx), userScopeOf(state))) throw notFound;
  return { state, revision };
}

export const userScopeOf = (state: RegisteredUser) => ({ id: state.userId, organizationIds: state.organizationIds });

function refuse(reason: string | undefined): void {
  if (reason !== undefined) throw new HttpProblem(403, reason);
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
    if (!canListUsers(principal)) throw new HttpProblem(403, 'Administrators only.');
    await honourMinPosition(ctx, deps);
    // Only users the caller has authority over: every one of their organizations administered.
    const query = userQuery(ctx.query, { organizationIds: userDirectoryScope(principal), everyOrganization: true });
    ctx.body = await deps.readModel.users.list(query);
  });

  router.post('/admin/users', async (ctx) => {
    const principal = principalOf(ctx);
    if (!canRegisterUsers(principal)) throw new HttpProblem(403, 'Administrators only.');
    const body = parseBody(createUserBody, await readJsonBody(ctx));
    refuse(userRegistrationRefusal(principal, body));
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

  // Everyone may change their own email, locale and password (with the current one); roles,
  // organizations, enabling and locking need authority over the user (userPolicy). An auditor
  // reaches this route for their own record only (readOnlyGuard) and may change only the password.
  router.patch('/admin/users/:id', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    const { currentPassword, ...changes } = parseBody(updateUserBody, await readJsonBody(ctx));
    const target = userScopeOf(state);
    refuse(userChangeRefusal(principal, target, changes));
    const result = await updateUser(
      deps.commands,
      {
        userId: state.userId,
        changes,
        currentPassword,
        requireCurrentPassword: passwordChangeNeedsCurrentPassword(principal, target),
        expectedRevision: expectedRevisionFrom(ctx),
      },
      commandMetadata(ctx, principal, deps.now()),
    );
    if (result.state.status === 'Empty') throw new Error('unreachable');
    await completeWrite(ctx, deps, result);
    ctx.body = userResource(result.state, result.nextExpectedRevision);
  });

  // A user's audit trail (their stream), paged; hashes never shown. Oneself, or with authority over them.
  router.get('/admin/users/:id/history', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    if (!canViewUserHistory(principal, userScopeOf(state))) throw new HttpProblem(404, 'No such user.');
    const paging = parseDirectoryPaging(ctx.query);
    const events = await deps.store.readStream(toUserStreamName(state.userId));
    const start = (paging.page - 1) * paging.perPage;
    ctx.body = {
      items: events.slice(start, start + paging.perPage).map(toHistoryEntry),
      total: events.length,
      page: paging.page,
      perPage: paging.perPage,
    };
  });

  router.get('/admin/users/:id/oauth-applications', async (ctx) => {
    const principal = principalOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    if (!canReadAsUser(principal, userScopeOf(state))) throw new HttpProblem(404, 'No such user.');
    await honourMinPosition(ctx, deps);
    // A non-admin may only list their own (gridScope forces their id; another id matches nothing).
    const scope = userApplicationsScope(principal, state.userId);
    if (scope === null) throw new HttpProblem(404, 'No such user.');
    const query = gridQuery(ctx.query, scope);
    const page = await deps.readModel.applications.query(query);
    ctx.body = { ...page, items: page.items.map(applicationFromRow) };
  });
}
