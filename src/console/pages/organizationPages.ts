import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { canSeeOrganization } from '../../authorization/applicationPolicy.js';
import { isAdmin } from '../../authorization/principal.js';
import { loadOrganization } from '../../commands/lookups.js';
import { createOrganization } from '../../commands/organizationCommands.js';
import { organizationDecider } from '../../domain/organization/organizationDecider.js';
import type { OrganizationCommand } from '../../domain/organization/organizationCommands.js';
import { batchDecider } from '../../domain/shared/batchDecider.js';
import { DomainError } from '../../domain/shared/domainError.js';
import { toOrganizationStreamName } from '../../domain/shared/streamNames.js';
import { completeWrite } from '../../admin/writeResponse.js';
import { organizationQuery } from '../../../projections/directoryQuery.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { consoleMetadata, consoleStateOf, flash, redirect, renderPage } from '../consoleHttp.js';
import { formOf } from '../consoleRouter.js';
import { checked, field } from '../formBody.js';
import { cleanQuery, pager } from './applicationModels.js';
import { fieldErrors } from './applicationPages.js';

const organizationEditDecider = batchDecider(organizationDecider);

/** System › User Management › Organizations: list (one's own; all with global access), create, edit. */
export function registerOrganizationPages(router: Router, deps: ConsoleDeps): void {
  const canCreate = (ctx: Context): boolean => {
    const { principal } = consoleStateOf(ctx);
    return isAdmin(principal) && principal.globalAccess;
  };

  router.get('/console/organizations', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const query = cleanQuery(ctx.query, ['page', 'perPage']);
    const page = await deps.readModel.organizations.list(organizationQuery(query, { organizationIds: principal.globalAccess ? null : principal.organizationIds }));
    await renderPage(ctx, deps, 'organizations', {
      title: 'Organizations',
      nav: 'organizations',
      rows: page.items,
      canCreate: canCreate(ctx),
      canEdit: isAdmin(principal),
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
    const id = ctx.params.id!;
    const { state, revision } = await loadOrganization(deps.store, id);
    if (state.status === 'Empty' || !canSeeOrganization(principal, id)) throw new DomainError('NOT_FOUND', 'No such organization.');
    if (!isAdmin(principal)) throw new DomainError('FORBIDDEN', 'Administrators only.');
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
    const metadata = consoleMetadata(ctx, deps);
    const organizationId = state.organizationId;
    const commands: OrganizationCommand[] = [];
    if (values.name !== state.name) commands.push({ type: 'RenameOrganization', data: { organizationId, name: values.name }, metadata });
    if (values.enabled !== (state.status === 'Enabled')) {
      commands.push({ type: values.enabled ? 'EnableOrganization' : 'DisableOrganization', data: { organizationId }, metadata });
    }
    const revision = Number(field(f, 'revision'));
    try {
      const result = await deps.commands.handler.handle(
        organizationEditDecider,
        toOrganizationStreamName(organizationId),
        { commands, metadata },
        Number.isInteger(revision) ? { expectedRevision: revision } : {},
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
