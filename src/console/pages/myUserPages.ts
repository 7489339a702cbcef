import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { myApplicationsScope, userApplicationsScope } from '../../authorization/applicationPolicy.js';
import type { Principal } from '../../authorization/principal.js';
import { canActAsUser, canAdministerUser, canReadAsUser } from '../../authorization/userPolicy.js';
import { planApplicationCreation, scopeCheckFor, targetOrganization } from '../../admin/applicationRoutes.js';
import { loadVisibleUser, userScopeOf } from '../../admin/userRoutes.js';
import type { RegisteredUser } from '../../admin/userResource.js';
import { createApplication } from '../../commands/applicationCommands.js';
import type { GridScope } from '../../../projections/gridQuery.js';
import { gridQuery } from '../../../projections/gridQuery.js';
import { organizationQuery } from '../../../projections/directoryQuery.js';
import { DomainError } from '../../domain/shared/domainError.js';
import { completeWrite } from '../../admin/writeResponse.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { consoleMetadata, consoleStateOf, flash, redirect, renderPage } from '../consoleHttp.js';
import { formOf } from '../consoleRouter.js';
import { applicationRow, cleanQuery, sortHeaders, pager } from './applicationModels.js';
import { fieldErrors, readApplicationForm } from './applicationPages.js';
import { organizationChoices } from './organizationChoices.js';
import { consentRows } from './consentPages.js';


/**
 * The OAuth Applications section of My User and of a user's view page (Oro's block): the
 * user's applications, filters (name, active), sorting (name, active), Add Application.
 */
export async function applicationsSection(
  ctx: Context,
  deps: ConsoleDeps,
  path: string,
  user: RegisteredUser,
  scope: GridScope,
  addAction: string,
) {
  const { principal, session } = consoleStateOf(ctx);
  const query = cleanQuery(ctx.query, ['name', 'active', 'sort', 'page']);
  let errors;
  let page;
  try {
    page = await deps.readModel.applications.query(gridQuery(query, scope));
  } catch (error) {
    errors = fieldErrors(error);
    if (!errors) throw error;
    page = { items: [], total: 0, page: 1, perPage: 25 };
  }
  const organizations = await organizationChoices(deps, principal);
  // The dialog's organization choice: only for users of a global-access organization.
  const chooseOrganization = principal.globalAccess && organizations.length > 1;
  const secret = session.secret && page.items.some((r) => r.id === session.secret!.applicationId) ? session.secret : undefined;
  session.secret = undefined;
  return {
    path,
    filter: query,
    errors,
    multiOrganization: user.organizationIds.length > 1,
    rows: page.items.map((row) => applicationRow(row, principal, deps.catalog)),
    sort: sortHeaders(path, query, ['name', 'active']),
    pager: pager(path, query, page),
    // Adding acts as the page's user (userPolicy.canActAsUser): never for an auditor.
    addAction: canActAsUser(principal, userScopeOf(user)) ? addAction : undefined,
    organizations: chooseOrganization ? organizations.map((o) => ({ ...o, selected: o.id === user.organizationIds[0] })) : undefined,
    apis: deps.catalog.entries.filter((e) => e.side === (user.kind === 'customer' ? 'storefront' : 'backOffice')).map((e) => ({ id: e.id, name: e.name })),
    secret,
    returnTo: path,
  };
}

const userDetails = (user: RegisteredUser, organizationNames: Map<string, string>) => ({
  id: user.userId,
  username: user.username,
  email: user.email,
  kind: user.kind === 'customer' ? 'Customer user' : 'Back-office user',
  roles: user.roles.join(', '),
  organizations: user.organizationIds.map((id) => organizationNames.get(id) ?? id).join(', '),
  enabled: user.enabled,
  locked: user.locked,
});

export async function organizationNames(deps: ConsoleDeps): Promise<Map<string, string>> {
  const page = await deps.readModel.organizations.list(organizationQuery({ perPage: 100 }, { organizationIds: null }));
  return new Map(page.items.map((o) => [o.id, o.name]));
}

/** Add Application (the dialog): client credentials, owned by the page's user. */
async function addApplication(ctx: Context, deps: ConsoleDeps, principal: Principal, owner: RegisteredUser, back: string): Promise<void> {
  const form = formOf(ctx);
  const values = readApplicationForm(form);
  try {
    const target =
      owner.userId === principal.userId
        ? { organizationId: targetOrganization(principal, values.organizationId ?? owner.organizationIds.find((o) => principal.organizationIds.includes(o))), ownerUserId: principal.userId }
        : await planApplicationCreation(principal, deps, {
            grants: ['client_credentials'],
            ownerUserId: owner.userId,
            organizationId: values.organizationId ?? owner.organizationIds[0],
          });
    const result = await createApplication(
      deps.commands,
      { name: values.name, active: values.active, allApis: values.allApis, apis: values.apis, grants: ['client_credentials'], ...target, scopeCheck: scopeCheckFor(deps, principal) },
      consoleMetadata(ctx, deps),
    );
    if (result.state.status === 'Empty' || result.state.status === 'Deleted') throw new Error('unreachable');
    await completeWrite(ctx, deps, result);
    consoleStateOf(ctx).session.secret = { applicationId: result.state.applicationId, clientId: result.state.clientId, clientSecret: result.clientSecret };
    flash(ctx, 'success', 'OAuth application has been created.');
    redirect(ctx, back);
  } catch (error) {
    const errors = fieldErrors(error);
    if (!errors) throw error;
    flash(ctx, 'danger', `The application was not created: ${Object.entries(errors).map(([f, m]) => (f === '_form' ? m : `${f} ${m}`)).join('; ')}`);
    redirect(ctx, back);
  }
}

export function registerMyUserPages(router: Router, deps: ConsoleDeps): void {
  router.get('/console/me', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, principal.userId);
    await renderPage(ctx, deps, 'userView', {
      title: 'My User',
      nav: 'me',
      heading: 'My User',
      user: userDetails(state, await organizationNames(deps)),
      section: await applicationsSection(ctx, deps, '/console/me', state, myApplicationsScope(principal), '/console/me/oauth-applications'),
      showConsents: true,
      consents: await consentRows(deps, principal.userId),
    });
  });

  router.post('/console/me/oauth-applications', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, principal.userId);
    await addApplication(ctx, deps, principal, state, '/console/me');
  });

  router.get('/console/users/:id', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    if (state.userId === principal.userId) return redirect(ctx, '/console/me');
    if (!canReadAsUser(principal, userScopeOf(state))) throw new DomainError('NOT_FOUND', 'No such user.');
    const scope = userApplicationsScope(principal, state.userId);
    if (scope === null) throw new DomainError('NOT_FOUND', 'No such user.');
    await renderPage(ctx, deps, 'userView', {
      title: state.username,
      nav: state.kind === 'customer' ? 'customers' : 'users',
      heading: state.username,
      user: userDetails(state, await organizationNames(deps)),
      canEdit: canAdministerUser(principal, userScopeOf(state)),
      section: await applicationsSection(ctx, deps, `/console/users/${state.userId}`, state, scope, `/console/users/${state.userId}/oauth-applications`),
    });
  });

  router.post('/console/users/:id/oauth-applications', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const { state } = await loadVisibleUser(ctx, deps, ctx.params.id!);
    await addApplication(ctx, deps, principal, state, `/console/users/${state.userId}`);
  });
}
