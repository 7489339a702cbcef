import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { canCreateInOrganization, gridScope } from '../../authorization/applicationPolicy.js';
import { isAdmin } from '../../authorization/principal.js';
import { userDirectoryScope } from '../../authorization/userPolicy.js';
import { loadVisibleApplication, requireOwnerAuthority } from '../../admin/applicationAccess.js';
import { checkApplicationMove, planApplicationCreation, scopeCheckFor } from '../../admin/applicationRoutes.js';
import {
  createApplication,
  deleteApplication,
  rotateApplicationSecret,
  setApplicationActive,
  updateApplication,
} from '../../commands/applicationCommands.js';
import type { Grant } from '../../domain/application/applicationEvents.js';
import { showsClientSecret } from '../../domain/application/applicationSecrets.js';
import { isDomainError, type FieldError } from '../../domain/shared/domainError.js';
import { completeWrite } from '../../admin/writeResponse.js';
import { gridQuery } from '../../../projections/gridQuery.js';
import { userQuery } from '../../../projections/directoryQuery.js';
import { parseDirectoryPaging } from '../../../projections/directoryQuery.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { consoleMetadata, consoleStateOf, flash, redirect, renderPage, requestInfoOf } from '../consoleHttp.js';
import { checked, field, revisionOf } from '../formBody.js';
import { formOf } from '../consoleRouter.js';
import { apiNames, applicationRow, cleanQuery, GRANT_LABELS, pager, rowActions, safeReturn, sortHeaders, withQuery } from './applicationModels.js';
import { asOfView } from './asOfModel.js';
import { historyPage } from './historyModel.js';
import { secretUse } from './secretUseModel.js';
import { tokensTab } from './tokensModel.js';
import { organizationChoices } from './organizationChoices.js';

const GRID = '/console/oauth-applications';

/** The two grids: System › User Management (back office) and Customers (storefront). */
export const SIDES = {
  backOffice: { base: GRID, title: 'OAuth Applications', nav: 'applications', frontend: false, userKind: 'backOffice', apiSide: 'backOffice' },
  storefront: { base: '/console/customer-user-oauth-applications', title: 'Customer User OAuth Applications', nav: 'customerApplications', frontend: true, userKind: 'customer', apiSide: 'storefront' },
} as const;
type Side = (typeof SIDES)[keyof typeof SIDES];
const GRID_KEYS = ['name', 'organizationId', 'active', 'grant', 'ownerUserId', 'sort', 'page', 'perPage'] as const;

export const fieldErrors = (error: unknown): Record<string, string> | undefined => {
  if (!isDomainError(error) || !['VALIDATION', 'DUPLICATE_NAME', 'IMMUTABLE_FIELD', 'STALE_REVISION', 'FORBIDDEN', 'CONFLICT'].includes(error.code)) return undefined;
  const out: Record<string, string> = {};
  for (const e of error.errors as FieldError[]) out[e.field] = out[e.field] ? `${out[e.field]}; ${e.message}` : e.message;
  // A summary above the form too, so an error on a field the form does not show is not lost.
  out._form = error.errors.length > 0 ? `Not saved: ${(error.errors as FieldError[]).map((e) => `${e.field} ${e.message}`).join('; ')}` : error.message;
  return out;
};

const apiChoices = (deps: ConsoleDeps, selected: readonly string[], side: Side['apiSide'] = 'backOffice') =>
  deps.catalog.entries.filter((e) => e.side === side).map((e) => ({ id: e.id, name: e.name, checked: selected.includes(e.id) }));

/** The application form's fields (create page, edit page, Add Application dialog). */
export function readApplicationForm(form: URLSearchParams) {
  const allApis = checked(form, 'allApis');
  return {
    name: field(form, 'name'),
    organizationId: field(form, 'organizationId') || undefined,
    active: checked(form, 'active'),
    allApis,
    apis: allApis ? [] : form.getAll('apis'),
    scopes: field(form, 'scopes').split(/\s+/).filter(Boolean),
    applicationUrl: field(form, 'applicationUrl') || null,
    description: field(form, 'description') || null,
  };
}

/**
 * The authorization_code fields (only when the application has the grant) and the token
 * lifetimes (every grant). An empty lifetime is the server's; anything else goes to the
 * domain's validation as typed, so "abc" is refused there with the same message as the API's.
 */
export function readTokenForm(form: URLSearchParams, authorizationCode: boolean) {
  const ttl = (name: string): number | null => (field(form, name) === '' ? null : Number(field(form, name)));
  return {
    ...(authorizationCode && {
      redirectUris: (form.get('redirectUris') ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
      confidential: checked(form, 'confidential'),
      skipConsent: checked(form, 'skipConsent'),
    }),
    accessTokenTtl: ttl('accessTokenTtl'),
    refreshTokenTtl: ttl('refreshTokenTtl'),
  };
}

/** The form's values for the partial (lists as lines, lifetimes as text). */
const tokenFormValues = (fields: ReturnType<typeof readTokenForm>, authorizationCode: boolean) => ({
  authorizationCode,
  redirectUris: (fields.redirectUris ?? []).join('\n'),
  confidential: fields.confidential ?? true,
  skipConsent: fields.skipConsent ?? false,
  accessTokenTtl: fields.accessTokenTtl === null || Number.isNaN(fields.accessTokenTtl) ? '' : String(fields.accessTokenTtl),
  refreshTokenTtl: fields.refreshTokenTtl === null || Number.isNaN(fields.refreshTokenTtl) ? '' : String(fields.refreshTokenTtl),
});

const CREATE_GRANTS: readonly Grant[] = ['client_credentials', 'password', 'authorization_code'];

export function registerApplicationPages(router: Router, deps: ConsoleDeps): void {
  // The admin API's loader (src/admin/applicationAccess.ts): not visible (or not manageable) is 404.
  const visible = (ctx: Context, options: { manage?: boolean; allowDeleted?: boolean } = {}) =>
    loadVisibleApplication(ctx, deps, options);

  for (const side of Object.values(SIDES)) {
  router.get(side.base, async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const query = cleanQuery(ctx.query, GRID_KEYS);
    const scope = gridScope(principal);
    let errors: Record<string, string> | undefined;
    let page;
    try {
      page = await deps.readModel.applications.query(
        gridQuery(query, { organizationIds: scope.organizationIds === 'all' ? null : scope.organizationIds, frontend: side.frontend, ...(scope.ownerUserId !== undefined && { ownerUserId: scope.ownerUserId }) }),
      );
    } catch (error) {
      errors = fieldErrors(error);
      if (!errors) throw error;
      page = { items: [], total: 0, page: 1, perPage: 25 };
    }
    const organizations = await organizationChoices(deps, principal, query.organizationId);
    const owners = isAdmin(principal)
      ? (await deps.readModel.users.list(userQuery({ perPage: 100 }, { organizationIds: userDirectoryScope(principal), everyOrganization: true }))).items
          .filter((u) => u.kind === side.userKind)
          .map((u) => ({ id: u.id, username: u.username, selected: u.id === query.ownerUserId }))
      : [];
    await renderPage(ctx, deps, 'applications', {
      title: side.title,
      nav: side.nav,
      base: side.base,
      filter: query,
      errors,
      organizations,
      owners,
      canCreate: isAdmin(principal) && principal.organizationIds.some((o) => canCreateInOrganization(principal, o)),
      rows: page.items.map((row) => applicationRow(row, principal, deps.catalog)),
      sort: sortHeaders(side.base, query, ['name', 'active', 'lastUsedAt']),
      pager: pager(side.base, query, page),
      returnTo: withQuery(side.base, query),
    });
  });

  const createPage = async (ctx: Context, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const { principal } = consoleStateOf(ctx);
    const organizations = await organizationChoices(deps, principal, values.organizationId as string | undefined);
    // Owners offered: users the caller has authority over (the owner check refuses others).
    const users = (await deps.readModel.users.list(userQuery({ perPage: 100 }, { organizationIds: userDirectoryScope(principal), everyOrganization: true }))).items
      .filter((u) => u.kind === side.userKind)
      .map((u) => ({ id: u.id, username: u.username, selected: u.id === values.ownerUserId }));
    await renderPage(ctx, deps, 'applicationCreate', {
      title: 'Create OAuth Application',
      nav: side.nav,
      base: side.base,
      storefront: side.frontend,
      values: { authorizationCode: true, creating: true, confidential: true, ...values },
      errors,
      organizations,
      users,
      apis: apiChoices(deps, (values.apis as string[] | undefined) ?? [], side.apiSide),
      clientCredentials: values.grant === 'client_credentials',
    }, errors ? 400 : 200);
  };

  router.get(`${side.base}/new`, async (ctx) => {
    if (!isAdmin(consoleStateOf(ctx).principal)) return redirect(ctx, side.base);
    await createPage(ctx, { active: true, allApis: true, grant: 'client_credentials' });
  });

  router.post(side.base, async (ctx) => {
    const { principal, session } = consoleStateOf(ctx);
    const form = formOf(ctx);
    const grant = field(form, 'grant');
    const tokenFields = readTokenForm(form, grant === 'authorization_code');
    const values = { ...readApplicationForm(form), grant, ownerUserId: field(form, 'ownerUserId') || undefined };
    const shown = { ...values, ...tokenFormValues(tokenFields, true), creating: true };
    if (!CREATE_GRANTS.includes(values.grant as Grant)) {
      return createPage(ctx, shown, { grant: 'Choose Client Credentials, Password or Authorization Code.' });
    }
    try {
      const grants: Grant[] = [values.grant as Grant];
      if (values.grant === 'client_credentials' && values.ownerUserId === undefined) {
        return await createPage(ctx, shown, { ownerUserId: 'A user is required for Client Credentials.' });
      }
      const target = await planApplicationCreation(principal, deps, {
        grants,
        ...(values.organizationId && { organizationId: values.organizationId }),
        ...(values.grant === 'client_credentials' && values.ownerUserId && { ownerUserId: values.ownerUserId }),
      });
      const { grant: _grant, ownerUserId: _owner, organizationId: _org, ...fields } = values;
      const result = await createApplication(
        deps.commands,
        { ...fields, ...tokenFields, grants, ...target, frontend: side.frontend, scopeCheck: scopeCheckFor(deps, principal) },
        consoleMetadata(ctx, deps),
      );
      if (result.state.status === 'Empty' || result.state.status === 'Deleted') throw new Error('unreachable');
      await completeWrite(ctx, deps, result);
      const accessToken = values.grant === 'client_credentials' && result.state.status === 'Active'
        ? await deps.temporaryAccessToken(result.state.clientId, requestInfoOf(ctx))
        : undefined;
      session.secret = { applicationId: result.state.applicationId, clientId: result.state.clientId, clientSecret: showsClientSecret(result.state) ? result.clientSecret : '', ...(accessToken && { accessToken }) };
      flash(ctx, 'success', 'OAuth application has been created.');
      redirect(ctx, `${GRID}/${result.state.applicationId}/credentials`);
    } catch (error) {
      const errors = fieldErrors(error);
      if (!errors) throw error;
      await createPage(ctx, shown, errors);
    }
  });
  }

  // Shown once: the secret leaves the session as this page is rendered.
  router.get(`${GRID}/:id/credentials`, async (ctx) => {
    const { state } = await visible(ctx);
    const { session } = consoleStateOf(ctx);
    const secret = session.secret?.applicationId === state.applicationId ? session.secret : undefined;
    session.secret = undefined;
    await renderPage(ctx, deps, 'applicationCredentials', {
      title: state.name,
      nav: 'applications',
      app: { id: state.applicationId, name: state.name, clientId: state.clientId },
      secret,
    });
  });

  router.get(`${GRID}/:id`, async (ctx) => {
    const { state } = await visible(ctx, { allowDeleted: true });
    const { principal } = consoleStateOf(ctx);
    const tab = ctx.query.tab === 'history' || ctx.query.tab === 'tokens' ? ctx.query.tab : 'general';
    const row = await deps.readModel.applications.get(state.applicationId, { includeDeleted: true });
    const paging = parseDirectoryPaging(cleanQuery(ctx.query, ['page', 'perPage']));
    let history, tokens;
    if (tab === 'history') {
      const cursor = typeof ctx.query.cursor === 'string' && ctx.query.cursor !== '' ? ctx.query.cursor : undefined;
      const page = await historyPage(deps, state.applicationId, paging.perPage, cursor);
      const base = `${GRID}/${state.applicationId}`;
      history = {
        rows: page.rows,
        // Cursor pages (newest first): Older follows `next`; Newest goes back to the start.
        pager: {
          newest: cursor !== undefined ? withQuery(base, { tab: 'history', perPage: String(paging.perPage) }) : undefined,
          next: page.next === null ? undefined : withQuery(base, { tab: 'history', perPage: String(paging.perPage), cursor: page.next }),
        },
      };
    }
    let asOf;
    if (tab === 'history') asOf = await asOfView(deps, principal, state.applicationId, ctx.query.asOf);
    if (tab === 'tokens') tokens = await tokensTab(deps, state.applicationId, `${GRID}/${state.applicationId}`, ctx.query, paging.perPage);
    const secrets = tab === 'history' ? undefined : await secretUse(deps, state, row);
    const app = {
      id: state.applicationId,
      name: state.name,
      clientId: state.clientId,
      active: state.status === 'Active',
      deleted: state.status === 'Deleted',
      organizationName: row?.organizationName || state.organizationId,
      ownerUserId: state.ownerUserId,
      ownerUsername: row?.ownerUsername ?? null,
      grants: state.grants.map((g) => GRANT_LABELS[g] ?? g).join(', '),
      apis: apiNames(deps.catalog, state),
      scopes: state.scopes.join(' '),
      applicationUrl: state.applicationUrl,
      description: state.description,
      authorizationCode: state.grants.includes('authorization_code'),
      redirectUris: state.redirectUris,
      confidential: state.confidential,
      skipConsent: state.skipConsent,
      accessTokenTtl: state.accessTokenTtl,
      refreshTokenTtl: state.refreshTokenTtl,
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
      lastUsedAt: row?.lastUsedAt ?? null,
    };
    const actions = rowActions(principal, { id: state.applicationId, organizationId: state.organizationId, ownerUserId: state.ownerUserId, active: app.active, deleted: app.deleted });
    await renderPage(ctx, deps, 'applicationView', {
      title: state.name,
      nav: 'applications',
      app,
      rowForMenu: { id: app.id, name: app.name, actions: { ...actions, view: false } },
      tab,
      tabs: { general: tab === 'general', history: tab === 'history', tokens: tab === 'tokens' },
      actions,
      history,
      asOf,
      tokens,
      secretUse: secrets,
      returnTo: `${GRID}/${state.applicationId}`,
    });
  });

  const editPage = async (ctx: Context, id: string, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const { principal } = consoleStateOf(ctx);
    await renderPage(ctx, deps, 'applicationEdit', {
      title: `Edit ${String(values.name ?? '')}`,
      nav: 'applications',
      id,
      values,
      errors,
      organizations: await organizationChoices(deps, principal, values.organizationId as string),
      apis: apiChoices(deps, (values.apis as string[] | undefined) ?? []),
      returnTo: values.returnTo,
    }, errors ? 400 : 200);
  };

  router.get(`${GRID}/:id/edit`, async (ctx) => {
    const { state, revision } = await visible(ctx, { manage: true });
    await requireOwnerAuthority(ctx, deps, state);
    await editPage(ctx, state.applicationId, {
      name: state.name,
      organizationId: state.organizationId,
      allApis: state.allApis,
      apis: state.apis,
      scopes: state.scopes.join(' '),
      applicationUrl: state.applicationUrl,
      description: state.description,
      ...tokenFormValues(state, state.grants.includes('authorization_code')),
      revision,
      returnTo: safeReturn(ctx.query.return as string | undefined, `${GRID}/${state.applicationId}`),
    });
  });

  router.post(`${GRID}/:id/edit`, async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    const { state } = await visible(ctx, { manage: true });
    await requireOwnerAuthority(ctx, deps, state);
    const form = formOf(ctx);
    const { active: _active, ...read } = readApplicationForm(form);
    const authorizationCode = state.grants.includes('authorization_code');
    // The lifetimes (and the authorization code fields) only when the form showed them.
    const showsTokenFields = ['accessTokenTtl', 'refreshTokenTtl', 'redirectUris'].some((f) => form.has(f));
    const tokenFields = showsTokenFields ? readTokenForm(form, authorizationCode) : {};
    // Only the fields the form showed change (the My User dialog shows name and APIs only).
    const values = {
      ...(form.has('name') && { name: read.name }),
      ...(read.organizationId !== undefined && { organizationId: read.organizationId }),
      ...(form.has('apisShown') && { allApis: read.allApis, apis: read.apis }),
      ...(form.has('scopes') && { scopes: read.scopes }),
      ...(form.has('applicationUrl') && { applicationUrl: read.applicationUrl }),
      ...(form.has('description') && { description: read.description }),
      ...tokenFields,
    };
    const revision = revisionOf(form);
    const returnTo = safeReturn(form.get('return'), `${GRID}/${state.applicationId}`);
    try {
      await checkApplicationMove(principal, deps, state, values.organizationId);
      const result = await updateApplication(
        deps.commands,
        {
          applicationId: state.applicationId,
          changes: values,
          scopeCheck: scopeCheckFor(deps, principal),
          ...(revision !== undefined && { expectedRevision: revision }),
        },
        consoleMetadata(ctx, deps),
      );
      await completeWrite(ctx, deps, result);
      flash(ctx, 'success', 'Saved successfully');
      redirect(ctx, returnTo);
    } catch (error) {
      const errors = fieldErrors(error);
      if (!errors) throw error;
      if (isDomainError(error) && error.code === 'STALE_REVISION') {
        errors._form = 'Someone else changed this application meanwhile. Reload the page to see their change, then edit again.';
      }
      await editPage(ctx, state.applicationId, { ...read, ...tokenFormValues(readTokenForm(form, authorizationCode), authorizationCode), scopes: read.scopes.join(' '), revision, returnTo }, errors);
    }
  });

  router.post(`${GRID}/:id/activate`, async (ctx) => {
    const { state } = await visible(ctx, { manage: true });
    const result = await setApplicationActive(deps.commands, { applicationId: state.applicationId, active: true }, consoleMetadata(ctx, deps));
    await completeWrite(ctx, deps, result);
    flash(ctx, 'success', 'Activated successfully');
    redirect(ctx, safeReturn(formOf(ctx).get('return'), GRID));
  });

  const confirmations = {
    deactivate: { question: 'Are you sure you want to deactivate the application?', button: 'Deactivate', done: 'Deactivated successfully' },
    delete: { question: 'Are you sure you want to delete the application?', button: 'Delete', done: 'Deleted successfully' },
  } as const;
  for (const action of ['deactivate', 'delete'] as const) {
    const text = confirmations[action];
    router.get(`${GRID}/:id/${action}`, async (ctx) => {
      const { state } = await visible(ctx, { manage: true });
      await renderPage(ctx, deps, 'confirm', {
        title: text.button,
        nav: 'applications',
        question: text.question,
        button: text.button,
        action: `${GRID}/${state.applicationId}/${action}`,
        name: state.name,
        returnTo: safeReturn(ctx.query.return as string | undefined, GRID),
      });
    });
    router.post(`${GRID}/:id/${action}`, async (ctx) => {
      const { state } = await visible(ctx, { manage: true });
      const metadata = consoleMetadata(ctx, deps);
      const result = action === 'delete'
        ? await deleteApplication(deps.commands, { applicationId: state.applicationId }, metadata)
        : await setApplicationActive(deps.commands, { applicationId: state.applicationId, active: false }, metadata);
      await completeWrite(ctx, deps, result);
      flash(ctx, 'success', text.done);
      const back = safeReturn(formOf(ctx).get('return'), GRID);
      redirect(ctx, action === 'delete' && back.startsWith(`${GRID}/${state.applicationId}`) ? GRID : back);
    });
  }

  router.get(`${GRID}/:id/rotate-secret`, async (ctx) => {
    const { state } = await visible(ctx, { manage: true });
    await requireOwnerAuthority(ctx, deps, state);
    await renderPage(ctx, deps, 'rotateSecret', {
      title: 'Rotate Secret',
      nav: 'applications',
      app: { id: state.applicationId, name: state.name },
      returnTo: safeReturn(ctx.query.return as string | undefined, GRID),
    });
  });

  router.post(`${GRID}/:id/rotate-secret`, async (ctx) => {
    const { state } = await visible(ctx, { manage: true });
    await requireOwnerAuthority(ctx, deps, state);
    const { session } = consoleStateOf(ctx);
    const graceText = field(formOf(ctx), 'graceSeconds');
    const grace = /^\d{1,9}$/.test(graceText) ? Number(graceText) : undefined;
    const result = await rotateApplicationSecret(
      deps.commands,
      { applicationId: state.applicationId, ...(grace !== undefined && { graceSeconds: grace }) },
      consoleMetadata(ctx, deps),
    );
    await completeWrite(ctx, deps, result);
    session.secret = { applicationId: state.applicationId, clientId: state.clientId, clientSecret: showsClientSecret(state) ? result.clientSecret : '' };
    flash(ctx, 'success', 'The client secret has been rotated.');
    redirect(ctx, `${GRID}/${state.applicationId}/credentials`);
  });
}
