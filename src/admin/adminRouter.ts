import { Router } from '@koa/router';
import type { AdminDeps } from './adminDeps.js';
import { registerApplicationRoutes } from './applicationRoutes.js';
import { requireBearer } from './authenticate.js';
import { readOnlyGuard } from './readOnlyGuard.js';
import { registerHistoryRoutes } from './historyRoutes.js';
import { registerMyApplicationRoutes } from './myApplicationRoutes.js';
import { registerOrganizationRoutes } from './organizationRoutes.js';
import { registerUserRoutes } from './userRoutes.js';

/**
 * The admin API: every route behind a bearer token of a back-office user (checked on every
 * request), a read-only caller refused every write (readOnlyGuard), and per-route
 * authorization (src/authorization/). /admin/status is served by the health router and needs
 * no token.
 */
export function createAdminRouter(
  deps: AdminDeps,
  extra: Array<(router: Router, deps: AdminDeps) => void> = [],
): Router {
  const router = new Router();
  router.use(['/admin/me', '/admin/users', '/admin/organizations', '/admin/oauth-applications', '/admin/email-templates', '/admin/notification-rules', '/admin/notification-jobs'], requireBearer(deps));
  router.use(readOnlyGuard());
  // "My User" first: /admin/me/oauth-applications must not be taken for /admin/me.
  registerMyApplicationRoutes(router, deps);
  registerApplicationRoutes(router, deps);
  registerHistoryRoutes(router, deps);
  registerUserRoutes(router, deps);
  registerOrganizationRoutes(router, deps);
  for (const register of extra) register(router, deps);
  return router;
}
