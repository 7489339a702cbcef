import { Router } from '@koa/router';
import { gridQuery } from '../../projections/gridQuery.js';
import { myApplicationsScope } from '../authorization/applicationPolicy.js';
import { readJsonBody } from '../http/jsonBody.js';
import type { AdminDeps } from './adminDeps.js';
import { createAndRespond, targetOrganization } from './applicationRoutes.js';
import { applicationFromRow } from './applicationResource.js';
import { principalOf } from './authenticate.js';
import { createMyApplicationBody, parseBody } from './validation.js';
import { honourMinPosition } from './writeResponse.js';

/**
 * "My User" (Oro's profile dialog): any signed-in back-office user lists and adds their own
 * client-credentials applications. Only name, organization and active apply.
 */
export function registerMyApplicationRoutes(router: Router, deps: AdminDeps): void {
  router.get('/admin/me/oauth-applications', async (ctx) => {
    const principal = principalOf(ctx);
    await honourMinPosition(ctx, deps);
    // Within the token's reach (src/authorization/tokenAuthority.ts): a token of an application
    // of B lists the caller's applications of B only.
    const query = gridQuery(ctx.query, myApplicationsScope(principal));
    const page = await deps.readModel.applications.query(query);
    ctx.body = { ...page, items: page.items.map(applicationFromRow) };
  });

  router.post('/admin/me/oauth-applications', async (ctx) => {
    const principal = principalOf(ctx);
    const body = parseBody(createMyApplicationBody, await readJsonBody(ctx));
    const organizationId = targetOrganization(principal, body.organizationId);
    await createAndRespond(ctx, deps, {
      name: body.name,
      active: body.active,
      grants: ['client_credentials'],
      organizationId,
      ownerUserId: principal.userId,
    });
  });
}
