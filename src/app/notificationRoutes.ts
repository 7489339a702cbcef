import type { Router } from '@koa/router';
import { z } from 'zod';
import type { AdminDeps } from '../admin/adminDeps.js';
import { principalOf } from '../admin/authenticate.js';
import { parseBody } from '../admin/validation.js';
import { completeWrite, etagOf, expectedRevisionFrom } from '../admin/writeResponse.js';
import { canChangeNotificationSettings, canReadNotificationSettings } from '../authorization/organizationPolicy.js';
import type { Principal } from '../authorization/principal.js';
import { aggregateStream } from '../commands/aggregateStream.js';
import { createNotificationCommands } from '../commands/notificationCommands.js';
import {
  evolveEmailTemplate,
  initialEmailTemplateState,
  type EmailTemplateState,
} from '../domain/notification/emailTemplate.js';
import { isRuleName, isTemplateName } from '../domain/notification/notificationCatalog.js';
import { defaultNotificationRule, evolveNotificationRule } from '../domain/notification/index.js';
import { TEMPLATE_VARIABLES } from '../domain/notification/templateVariables.js';
import { toEmailTemplateStreamName, toNotificationRuleStreamName } from '../domain/shared/streamNames.js';
import { HttpProblem } from '../http/problem.js';
import { readJsonBody } from '../http/jsonBody.js';
import type { NotificationJobs } from './notificationJobs.js';
import { commandMetadata } from '../http/requestContext.js';
import { analyzeHandlebarsTemplate } from '../../workers/templates/analyzeHandlebarsTemplate.js';
import { DEFAULT_TEMPLATES } from '../../workers/templates/defaultTemplates.js';

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
  if (write ? !canChangeNotificationSettings(principal) : !canReadNotificationSettings(principal)) {
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

/** A template as shown (admin API and console): the defaults per locale, overlaid with the saved ones. */
export function templateResource(name: string, state: EmailTemplateState, revision: number) {
  const defaults = DEFAULT_TEMPLATES[name as keyof typeof DEFAULT_TEMPLATES] ?? {};
  const custom = state.status === 'Defined' ? state.locales : {};
  return {
    name,
    locales: { ...defaults, ...custom },
    customizedLocales: Object.keys(custom),
    variables: TEMPLATE_VARIABLES,
    revision,
  };
}

/**
 * GET/PUT /admin/email-templates/:name, /admin/notification-rules/:name, GET /admin/notification-jobs,
 * POST /admin/notification-jobs/:jobId/retry.
 */
export function registerNotificationRoutes(router: Router, deps: AdminDeps, jobs: NotificationJobs): void {
  const notifications = createNotificationCommands(analyzeHandlebarsTemplate);

  router.get('/admin/email-templates/:name', async (ctx) => {
    requireAdmin(principalOf(ctx), false);
    const name = templateName(ctx.params.name);
    const { state, revision } = await aggregateStream(deps.store, toEmailTemplateStreamName(name), evolveEmailTemplate, initialEmailTemplateState);
    ctx.set('ETag', etagOf(revision));
    ctx.body = templateResource(name, state, revision);
  });

  router.put('/admin/email-templates/:name', async (ctx) => {
    const principal = principalOf(ctx);
    requireAdmin(principal, true);
    const name = templateName(ctx.params.name);
    const body = parseBody(templateBody, await readJsonBody(ctx, { limit: TEMPLATE_BODY_LIMIT }));
    const result = await notifications.saveEmailTemplate(
      deps.commands,
      { name, ...body, expectedRevision: expectedRevisionFrom(ctx) },
      commandMetadata(ctx, principal, deps.now()),
    );
    await completeWrite(ctx, deps, result);
    ctx.body = templateResource(name, result.state, result.nextExpectedRevision);
  });

  router.get('/admin/notification-rules/:name', async (ctx) => {
    requireAdmin(principalOf(ctx), false);
    const name = ruleName(ctx.params.name);
    const { state, revision } = await aggregateStream(deps.store, toNotificationRuleStreamName(name), evolveNotificationRule, () => defaultNotificationRule(name));
    ctx.set('ETag', etagOf(revision));
    ctx.body = { ...state, revision };
  });

  router.put('/admin/notification-rules/:name', async (ctx) => {
    const principal = principalOf(ctx);
    requireAdmin(principal, true);
    const name = ruleName(ctx.params.name);
    const body = parseBody(ruleBody, await readJsonBody(ctx));
    const result = await notifications.saveNotificationRule(
      deps.commands,
      { name, ...body, expectedRevision: expectedRevisionFrom(ctx) },
      commandMetadata(ctx, principal, deps.now()),
    );
    await completeWrite(ctx, deps, result);
    ctx.body = { ...result.state, revision: result.nextExpectedRevision };
  });

  // Failed jobs are filtered like applications: only those of applications the caller may see.
  // The queue's counts cover every organization, so only callers with global access get them.
  router.get('/admin/notification-jobs', async (ctx) => {
    const principal = principalOf(ctx);
    requireAdmin(principal, false);
    const [counts, failed] = await Promise.all([jobs.counts(), jobs.failed(principal)]);
    ctx.body = { queue: jobs.queueKind, ...(principal.globalAccess && { counts }), failed };
  });

  // Sends a failed notification again (notificationJobs.ts holds who may, for the console too).
  router.post('/admin/notification-jobs/:jobId/retry', async (ctx) => {
    const { job, status } = await jobs.retry(principalOf(ctx), ctx.params.jobId ?? '');
    ctx.status = 202;
    ctx.body = { jobId: job.jobId, state: status?.state ?? 'waiting' };
  });
}
