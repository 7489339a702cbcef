import type { Router } from '@koa/router';
import { z } from 'zod';
import type { AdminDeps } from '../admin/adminDeps.js';
import { principalOf } from '../admin/authenticate.js';
import { parseBody } from '../admin/validation.js';
import { completeWrite, etagOf, expectedRevisionFrom } from '../admin/writeResponse.js';
import { isAdmin, type Principal } from '../authorization/principal.js';
import { aggregateStream } from '../commands/aggregateStream.js';
import { createEmailTemplateDecider } from '../domain/notification/emailTemplateDecider.js';
import {
  evolveEmailTemplate,
  initialEmailTemplateState,
  type EmailTemplateState,
} from '../domain/notification/emailTemplate.js';
import { isRuleName, isTemplateName } from '../domain/notification/notificationCatalog.js';
import {
  createNotificationRuleDecider,
  defaultNotificationRule,
  evolveNotificationRule,
} from '../domain/notification/index.js';
import { TEMPLATE_VARIABLES } from '../domain/notification/templateVariables.js';
import { toEmailTemplateStreamName, toNotificationRuleStreamName } from '../domain/shared/streamNames.js';
import { HttpProblem } from '../http/problem.js';
import { readJsonBody } from '../http/jsonBody.js';
import { commandMetadata } from '../http/requestContext.js';
import type { JobQueue } from '../../workers/queue/jobQueue.js';
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
  // Templates and rules are system-wide: reading needs an administrator, changing them an
  // administrator of a global-access organization.
  if (!isAdmin(principal) || (write && !principal.globalAccess)) {
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

function templateResource(name: string, state: EmailTemplateState, revision: number) {
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

/** GET/PUT /admin/email-templates/:name, /admin/notification-rules/:name, GET /admin/notification-jobs. */
export function registerNotificationRoutes(router: Router, deps: AdminDeps, queue: JobQueue<unknown>): void {
  const templateDecider = createEmailTemplateDecider(analyzeHandlebarsTemplate);

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
    const expectedRevision = expectedRevisionFrom(ctx);
    const result = await deps.commands.handler.handle(
      templateDecider,
      toEmailTemplateStreamName(name),
      { type: 'UpdateEmailTemplate', data: { name, ...body }, metadata: commandMetadata(ctx, principal, deps.now()) },
      expectedRevision === undefined ? {} : { expectedRevision },
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
    const expectedRevision = expectedRevisionFrom(ctx);
    const result = await deps.commands.handler.handle(
      createNotificationRuleDecider(name),
      toNotificationRuleStreamName(name),
      { type: 'UpdateNotificationRule', data: { name, ...body }, metadata: commandMetadata(ctx, principal, deps.now()) },
      expectedRevision === undefined ? {} : { expectedRevision },
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
