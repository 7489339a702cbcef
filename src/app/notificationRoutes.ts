import type { Router } from '@koa/router';
import { z } from 'zod';
import type { AdminDeps } from '../admin/adminDeps.js';
import { principalOf } from '../admin/authenticate.js';
import { parseBody } from '../admin/validation.js';
import { completeWrite, etagOf, expectedRevisionFrom } from '../admin/writeResponse.js';
import type { Principal } from '../authorization/principal.js';
import { canChangeNotificationSettings, canReadNotificationSettings } from '../authorization/notificationPolicy.js';
import {
  emailTemplateResource,
  loadEmailTemplate,
  loadNotificationRule,
  saveEmailTemplate,
  saveNotificationRule,
} from '../commands/notificationCommands.js';
import { isRuleName, isTemplateName } from '../domain/notification/notificationCatalog.js';
import { HttpProblem } from '../http/problem.js';
import { readJsonBody } from '../http/jsonBody.js';
import { commandMetadata } from '../http/requestContext.js';
import type { JobQueue } from '../../workers/queue/jobQueue.js';

const TEMPLATE_BODY_LIMIT = 512 * 1024;

const templateBody = z.strictObject({
  locale: z.string().max(35),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});

const ruleBody = z.strictObject({
  enabled: z.boolean(),
  recipients: z.strictObject({
    owner: z.boolean(),
    addresses: z.array(z.string().max(320)).max(200),
  }),
});

function requireAdmin(principal: Principal, write: boolean): void {
  if (!(write ? canChangeNotificationSettings : canReadNotificationSettings)(principal)) {
    throw new HttpProblem(403, write ? 'Only administrators of a global-access organization change notifications.' : 'Administrators only.');
  }
}

function templateName(raw: string | undefined): string {
  if (!raw || !isTemplateName(raw)) throw new HttpProblem(404, 'No such email template.');
  return raw;
}

function ruleName(raw: string | undefined): string {
  if (!raw || !isRuleName(raw)) throw new HttpProblem(404, 'No such notification rule.');
  return raw;
}

/** GET/PUT /admin/email-templates/:name, /admin/notification-rules/:name, GET /admin/notification-jobs. */
export function registerNotificationRoutes(router: Router, deps: AdminDeps, queue: JobQueue<unknown>): void {
  router.get('/admin/email-templates/:name', async (ctx) => {
    requireAdmin(principalOf(ctx), false);
    const name = templateName(ctx.params.name);
    const resource = await loadEmailTemplate(deps.store, name);
    ctx.set('ETag', etagOf(resource.revision));
    ctx.body = resource;
  });

  router.put('/admin/email-templates/:name', async (ctx) => {
    const principal = principalOf(ctx);
    requireAdmin(principal, true);
    const name = templateName(ctx.params.name);
    const body = parseBody(templateBody, await readJsonBody(ctx, { limit: TEMPLATE_BODY_LIMIT }));
    const expectedRevision = expectedRevisionFrom(ctx);
    const result = await saveEmailTemplate(
      deps.commands,
      { name, ...body, ...(expectedRevision !== undefined && { expectedRevision }) },
      commandMetadata(ctx, principal.userId, deps.now()),
    );
    await completeWrite(ctx, deps, result);
    ctx.body = emailTemplateResource(name, result.state, result.nextExpectedRevision);
  });

  router.get('/admin/notification-rules/:name', async (ctx) => {
    requireAdmin(principalOf(ctx), false);
    const name = ruleName(ctx.params.name);
    const { state, revision } = await loadNotificationRule(deps.store, name);
    ctx.set('ETag', etagOf(revision));
    ctx.body = { ...state, revision };
  });

  router.put('/admin/notification-rules/:name', async (ctx) => {
    const principal = principalOf(ctx);
    requireAdmin(principal, true);
    const name = ruleName(ctx.params.name);
    const body = parseBody(ruleBody, await readJsonBody(ctx));
    const expectedRevision = expectedRevisionFrom(ctx);
    const result = await saveNotificationRule(
      deps.commands,
      { name, ...body, ...(expectedRevision !== undefined && { expectedRevision }) },
      commandMetadata(ctx, principal.userId, deps.now()),
    );
    await completeWrite(ctx, deps, result);
    ctx.body = { ...result.state, revision: result.nextExpectedRevision };
  });

  router.get('/admin/notification-jobs', async (ctx) => {
    requireAdmin(principalOf(ctx), false);
    const [counts, failed] = await Promise.all([queue.counts(), queue.failedJobs()]);
    ctx.body = { queue: queue.kind, counts, failed };
  });
}
