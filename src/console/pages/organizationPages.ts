import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { canCreateOrganizations, canManageOrganization, organizationListScope } from '../../authorization/organizationPolicy.js';
import { loadVisibleOrganization } from '../../admin/organizationRoutes.js';
import { createOrganization, updateOrganization } from '../../commands/organizationCommands.js';
import { DomainError } from '../../domain/shared/domainError.js';
import { completeWrite } from '../../admin/writeResponse.js';
import { organizationQuery } from '../../../projections/directoryQuery.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { consoleMetadata, consoleStateOf, flash, redirect, renderPage } from '../consoleHttp.js';
import { formOf } from '../consoleRouter.js';
import { checked, field, revisionOf } from '../formBody.js';
import { cleanQuery, pager } from './applicationModels.js';
import { fieldErrors } from './applicationPages.js';

/** System › User Management › Organizations: list (one's own; all with global access), create, edit. */
export function registerOrganizationPages(router: Router, deps: ConsoleDeps): void {
  const canCreate = (ctx: Context): boolean => canCreateOrganizations(consoleStateOf(ctx).principal);

  router.get('/console/organizations', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const query = cleanQuery(ctx.query, ['page', 'perPage']);
    const page = await deps.readModel.organizations.list(organizationQuery(query, { organizationIds: organizationListScope(principal) }));
    await renderPage(ctx, deps, 'organizations', {
      title: 'Organizations',
      nav: 'organizations',
      rows: page.items.map((o) => ({ ...o, canEdit: canManageOrganization(principal, o.id) })),
      canCreate: canCreate(ctx),
      pager: pager('/console/organizations', query, page),
    });
  });

  const form = (ctx: Context, model: Record<string, unknown>) =>
    renderPage(ctx, deps, 'organizationForm', { title: model.id ? 'Edit Organization' : 'Create Organization', nav: 'organizations', ...model }, model.errors ? 400 : 200);

  router.get('/console/organizations/new', async (ctx) => {
    if (!canCreate(ctx)) throw new DomainError('FORBIDDEN', 'Only administrators of a global-access organization create organizations.');
    await form(ctx, { values: { enabled: true } });
  });

  router.post('/console/organizations', async (ctx) => {
    if (!canCreate(ctx)) throw new DomainError('FORBIDDEN', 'Only administrators of a global-access organization create organizations.');
    const f = formOf(ctx);
    const values = { name: field(f, 'name'), globalAccess: checked(f, 'globalAccess') };
    try {
      const result = await createOrganization(deps.commands, values, consoleMetadata(ctx, deps));
      await completeWrite(ctx, deps, result);
      flash(ctx, 'success', 'Organization saved');
      redirect(ctx, '/console/organizations');
    } catch (error) {
      const errors = fieldErrors(error);
      if (!errors) throw error;
      await form(ctx, { values, errors });
    }
  });

  const loadVisible = async (ctx: Context) => {
    const { principal } = consoleStateOf(ctx);
    const { state, revision } = await loadVisibleOrganization(ctx, deps);
    if (!canManageOrganization(principal, state.organizationId)) throw new DomainError('FORBIDDEN', 'Administrators only.');
    return { state, revision };
  };

  router.get('/console/organizations/:id/edit', async (ctx) => {
    const { state, revision } = await loadVisible(ctx);
    await form(ctx, { id: state.organizationId, values: { name: state.name, enabled: state.status === 'Enabled', globalAccess: state.globalAccess, revision } });
  });

  router.post('/console/organizations/:id/edit', async (ctx) => {
    const { state } = await loadVisible(ctx);
    const f = formOf(ctx);
    const values = { name: field(f, 'name'), enabled: checked(f, 'enabled') };
    const organizationId = state.organizationId;
    const revision = revisionOf(f);
    try {
      const result = await updateOrganization(
        deps.commands,
        {
          organizationId,
          ...(values.name !== state.name && { name: values.name }),
          ...(values.enabled !== (state.status === 'Enabled') && { enabled: values.enabled }),
          ...(revision !== undefined && { expectedRevision: revision }),
        },
        consoleMetadata(ctx, deps),
      );
      await completeWrite(ctx, deps, result);
      flash(ctx, 'success', 'Organization saved');
      redirect(ctx, '/console/organizations');
    } catch (error) {
      const errors = fieldErrors(error);
      if (!errors) throw error;
      await form(ctx, { id: organizationId, values: { ...values, revision }, errors });
    }
  });
}
