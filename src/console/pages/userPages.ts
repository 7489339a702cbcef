import type { Router } from '@koa/router';
import type { Context } from 'koa';
import {
  canListUsers,
  canRegisterUsers,
  passwordChangeNeedsCurrentPassword,
  userChangeRefusal,
  userDirectoryScope,
  userRegistrationRefusal,
} from '../../authorization/userPolicy.js';
import { loadVisibleUser, userScopeOf } from '../../admin/userRoutes.js';
import { registerUser } from '../../commands/userCommands.js';
import { updateUser, type UserChanges } from '../../commands/userUpdateCommands.js';
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

const requireLister = (ctx: Context): void => {
  if (!canListUsers(consoleStateOf(ctx).principal)) throw new DomainError('FORBIDDEN', 'Administrators only.');
};
const requireRegistrar = (ctx: Context): void => {
  if (!canRegisterUsers(consoleStateOf(ctx).principal)) throw new DomainError('FORBIDDEN', 'Administrators only.');
};
/** The admin API's refusals (userPolicy) as the console's 403 page. */
const refuse = (reason: string | undefined): void => {
  if (reason !== undefined) throw new DomainError('FORBIDDEN', reason);
};

/** System › User Management › Users: list, create, edit (roles, organizations, enabled, unlock). */
export function registerUserPages(router: Router, deps: ConsoleDeps): void {
  // Users (back office) and Customers › Customer Users (storefront): one list, one kind each.
  for (const list of [
    { path: '/console/users', kind: 'backOffice', title: 'Users', nav: 'users', canCreate: true },
    { path: '/console/customer-users', kind: 'customer', title: 'Customer Users', nav: 'customers', canCreate: false },
  ] as const)
  router.get(list.path, async (ctx) => {
    requireLister(ctx);
    const { principal } = consoleStateOf(ctx);
    const query = cleanQuery(ctx.query, ['page', 'perPage']);
    // Only users the caller has authority over: every one of their organizations (userPolicy).
    const page = await deps.readModel.users.list(userQuery(query, { organizationIds: userDirectoryScope(principal), everyOrganization: true, kind: list.kind }));
    const names = await organizationNames(deps);
    await renderPage(ctx, deps, 'users', {
      title: list.title,
      nav: list.nav,
      canCreate: list.canCreate && canRegisterUsers(principal),
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
    requireRegistrar(ctx);
    await userForm(ctx, { values: { roles: ['user'], organizationIds: consoleStateOf(ctx).principal.organizationIds.slice(0, 1) } });
  });

  router.post('/console/users', async (ctx) => {
    requireRegistrar(ctx);
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
      refuse(userRegistrationRefusal(principal, values));
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
    const { state, revision } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    // The edit form changes roles, organizations, enabled and locked: authority over the user.
    refuse(userChangeRefusal(principal, userScopeOf(state), { roles: state.roles }));
    await userForm(ctx, { id: state.userId, values: { ...state, revision } });
  });

  router.post('/console/users/:id/edit', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    const form = formOf(ctx);
    const changes: UserChanges = {
      email: field(form, 'email'),
      roles: form.getAll('roles') as UserRole[],
      organizationIds: form.getAll('organizationIds'),
      enabled: checked(form, 'enabled'),
      ...(checked(form, 'unlock') && { locked: false }),
      ...(checked(form, 'lock') && { locked: true }),
    };
    const revision = revisionOf(form);
    try {
      const target = userScopeOf(state);
      refuse(userChangeRefusal(principal, target, changes));
      const result = await updateUser(
        deps.commands,
        {
          userId: state.userId,
          changes,
          requireCurrentPassword: passwordChangeNeedsCurrentPassword(principal, target),
          ...(revision !== undefined && { expectedRevision: revision }),
        },
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
