import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { canManageUsers } from '../../authorization/applicationPolicy.js';
import { checkOrganizationsAllowed, checkUserEdit } from '../../authorization/userEditPolicy.js';
import { loadVisibleUserFor } from '../../authorization/visibleUser.js';
import { registerUser } from '../../commands/userCommands.js';
import { editUser, type UserEdit } from '../../commands/userEdits.js';
import { DomainError } from '../../domain/shared/domainError.js';
import type { UserRole } from '../../domain/user/userEvents.js';
import { USER_ROLES } from '../../domain/user/userValidation.js';
import { completeWrite } from '../../admin/writeResponse.js';
import { userQuery } from '../../../projections/directoryQuery.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { consoleMetadata, consoleStateOf, flash, redirect, renderPage } from '../consoleHttp.js';
import { formOf } from '../consoleRouter.js';
import { checked, field, revisionOf } from '../formBody.js';
import { cleanQuery, pager } from './applicationModels.js';
import { fieldErrors } from './applicationPages.js';
import { organizationChoices } from './organizationChoices.js';
import { organizationNames } from './myUserPages.js';

const requireManager = (ctx: Context): void => {
  if (!canManageUsers(consoleStateOf(ctx).principal)) throw new DomainError('FORBIDDEN', 'Administrators only.');
};

/** System › User Management › Users: list, create, edit (roles, organizations, enabled, unlock). */
export function registerUserPages(router: Router, deps: ConsoleDeps): void {
  // Users (back office) and Customers › Customer Users (storefront): one list, one kind each.
  for (const list of [
    { path: '/console/users', kind: 'backOffice', title: 'Users', nav: 'users', canCreate: true },
    { path: '/console/customer-users', kind: 'customer', title: 'Customer Users', nav: 'customers', canCreate: false },
  ] as const)
  router.get(list.path, async (ctx) => {
    requireManager(ctx);
    const { principal } = consoleStateOf(ctx);
    const query = cleanQuery(ctx.query, ['page', 'perPage']);
    const page = await deps.readModel.users.list(userQuery(query, { organizationIds: principal.globalAccess ? null : principal.organizationIds, kind: list.kind }));
    const names = await organizationNames(deps);
    await renderPage(ctx, deps, 'users', {
      title: list.title,
      nav: list.nav,
      canCreate: list.canCreate,
      rows: page.items.map((u) => ({
        ...u,
        kind: u.kind === 'customer' ? 'Customer' : 'Back office',
        roles: u.roles.join(', '),
        organizations: u.organizationIds.map((id) => names.get(id) ?? id).join(', '),
      })),
      pager: pager(list.path, query, page),
    });
  });

  const userForm = async (ctx: Context, view: { id?: string; values: Record<string, unknown>; errors?: Record<string, string> }) => {
    const { principal } = consoleStateOf(ctx);
    const selectedOrgs = (view.values.organizationIds as string[] | undefined) ?? [];
    const selectedRoles = (view.values.roles as string[] | undefined) ?? [];
    await renderPage(ctx, deps, 'userForm', {
      title: view.id ? `Edit ${String(view.values.username)}` : 'Create User',
      nav: 'users',
      ...view,
      editing: view.id !== undefined,
      organizations: (await organizationChoices(deps, principal)).map((o) => ({ ...o, checked: selectedOrgs.includes(o.id) })),
      roles: USER_ROLES.map((r) => ({ id: r, checked: selectedRoles.includes(r) })),
    }, view.errors ? 400 : 200);
  };

  router.get('/console/users/new', async (ctx) => {
    requireManager(ctx);
    await userForm(ctx, { values: { roles: ['user'], organizationIds: consoleStateOf(ctx).principal.organizationIds.slice(0, 1) } });
  });

  router.post('/console/users', async (ctx) => {
    requireManager(ctx);
    const { principal } = consoleStateOf(ctx);
    const form = formOf(ctx);
    const values = {
      username: field(form, 'username'),
      email: field(form, 'email'),
      password: form.get('password') ?? '',
      kind: field(form, 'kind') === 'customer' ? ('customer' as const) : ('backOffice' as const),
      roles: form.getAll('roles') as UserRole[],
      organizationIds: form.getAll('organizationIds'),
    };
    try {
      checkOrganizationsAllowed(principal, values.organizationIds);
      const result = await registerUser(deps.commands, values, consoleMetadata(ctx, deps));
      if (result.state.status === 'Empty') throw new Error('unreachable');
      await completeWrite(ctx, deps, result);
      flash(ctx, 'success', 'User saved');
      redirect(ctx, `/console/users/${result.state.userId}`);
    } catch (error) {
      const errors = fieldErrors(error);
      if (!errors) throw error;
      await userForm(ctx, { values: { ...values, password: '' }, errors });
    }
  });

  router.get('/console/users/:id/edit', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const { state, revision } = await loadVisibleUserFor(principal, deps.store, ctx.params.id!);
    requireManager(ctx);
    await userForm(ctx, { id: state.userId, values: { ...state, revision } });
  });

  router.post('/console/users/:id/edit', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const { state } = await loadVisibleUserFor(principal, deps.store, ctx.params.id!);
    const form = formOf(ctx);
    const changes: UserEdit = {
      email: field(form, 'email'),
      roles: form.getAll('roles') as UserRole[],
      organizationIds: form.getAll('organizationIds'),
      enabled: checked(form, 'enabled'),
      ...(checked(form, 'unlock') && { locked: false }),
      ...(checked(form, 'lock') && { locked: true }),
    };
    const revision = revisionOf(form);
    try {
      checkUserEdit(principal, state.userId, changes);
      const result = await editUser(
        deps.commands,
        { userId: state.userId, changes, ...(revision !== undefined && { expectedRevision: revision }) },
        consoleMetadata(ctx, deps),
      );
      await completeWrite(ctx, deps, result);
      flash(ctx, 'success', 'User saved');
      redirect(ctx, `/console/users/${state.userId}`);
    } catch (error) {
      const errors = fieldErrors(error);
      if (!errors) throw error;
      await userForm(ctx, { id: state.userId, values: { ...state, ...changes, revision }, errors });
    }
  });
}
