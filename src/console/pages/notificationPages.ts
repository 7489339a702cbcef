import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { canChangeNotificationSettings, canReadNotificationSettings, canRetryNotifications } from '../../authorization/organizationPolicy.js';
import { aggregateStream } from '../../commands/aggregateStream.js';
import { createNotificationCommands } from '../../commands/notificationCommands.js';
import { evolveEmailTemplate, initialEmailTemplateState } from '../../domain/notification/emailTemplate.js';
import { defaultNotificationRule, evolveNotificationRule } from '../../domain/notification/index.js';
import { toEmailTemplateStreamName, toNotificationRuleStreamName } from '../../domain/shared/streamNames.js';
import type { EventStore } from '../../eventStore/eventStore.js';
import { templateResource } from '../../app/notificationRoutes.js';
import { analyzeHandlebarsTemplate } from '../../../workers/templates/analyzeHandlebarsTemplate.js';
import { RULE_NAMES, TEMPLATE_NAMES, isRuleName, isTemplateName } from '../../domain/notification/notificationCatalog.js';
import type { TemplateVariables } from '../../domain/notification/templateVariables.js';
import { DomainError, isDomainError } from '../../domain/shared/domainError.js';
import { completeWrite } from '../../admin/writeResponse.js';
import { renderEmail } from '../../../workers/templates/renderEmail.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { consoleMetadata, consoleStateOf, flash, redirect, renderPage } from '../consoleHttp.js';
import { formOf } from '../consoleRouter.js';
import { checked, field, revisionOf } from '../formBody.js';
import { fieldErrors } from './applicationPages.js';

/** What the preview renders with: made-up values, never a secret. */
export const SAMPLE_VARIABLES: TemplateVariables = {
  applicationName: 'Warehouse sync',
  applicationId: '0b7c1a52-5d7e-4a4e-9c1e-4f2f7d1c9a10',
  clientId: 'Qm9vdHN0cmFwQ2xpZW50SWQxMjM0NTY3OA',
  organizationName: 'ACME Corp',
  ownerName: 'jane.doe',
  ownerEmail: 'jane.doe@example.com',
  createdAt: '2026-02-03T04:05:06.000Z',
  occurredAt: '2026-02-03T04:05:06.000Z',
  previousSecretValidUntil: '2026-02-04T04:05:06.000Z',
  link: 'https://tollgate.example/console/oauth-applications/0b7c1a52-5d7e-4a4e-9c1e-4f2f7d1c9a10',
};

const preview = (values: { subject: string; html: string; text: string }) => {
  try {
    return renderEmail({ subject: values.subject, html: values.html, text: values.text }, SAMPLE_VARIABLES);
  } catch {
    return undefined; // saving shows the compiler's message next to the field
  }
};

/** The admin API's template resource (defaults overlaid with the saved locales). */
const loadEmailTemplate = async (store: EventStore, name: string) => {
  const { state, revision } = await aggregateStream(store, toEmailTemplateStreamName(name), evolveEmailTemplate, initialEmailTemplateState);
  return templateResource(name, state, revision);
};

const loadNotificationRule = (store: EventStore, name: string) =>
  aggregateStream(store, toNotificationRuleStreamName(name), evolveNotificationRule, () => defaultNotificationRule(name));

/** The admin API's one write path for templates and rules. */
const { saveEmailTemplate, saveNotificationRule } = createNotificationCommands(analyzeHandlebarsTemplate);

/** Email templates (subject, HTML, text per locale, with a preview) and notification rules. */
export function registerNotificationPages(router: Router, deps: ConsoleDeps): void {
  const requireRead = (ctx: Context) => {
    if (!canReadNotificationSettings(consoleStateOf(ctx).principal)) throw new DomainError('FORBIDDEN', 'Administrators only.');
  };
  const requireChange = (ctx: Context) => {
    if (!canChangeNotificationSettings(consoleStateOf(ctx).principal)) {
      throw new DomainError('FORBIDDEN', 'Only administrators of a global-access organization change notifications.');
    }
  };
  const templateNameOf = (ctx: Context): string => {
    const name = ctx.params.name!;
    if (!isTemplateName(name)) throw new DomainError('NOT_FOUND', 'No such email template.');
    return name;
  };
  const ruleNameOf = (ctx: Context): string => {
    const name = ctx.params.name!;
    if (!isRuleName(name)) throw new DomainError('NOT_FOUND', 'No such notification rule.');
    return name;
  };

  router.get('/console/notification-jobs', async (ctx) => {
    requireRead(ctx);
    const { principal } = consoleStateOf(ctx);
    // Only the jobs of applications the caller may see (the admin API's filter and rules).
    const failed = await deps.notificationJobs.failed(principal);
    await renderPage(ctx, deps, 'notificationJobs', { title: 'Failed notifications', nav: 'emails', failed, canRetry: canRetryNotifications(principal) });
  });

  router.post('/console/notification-jobs/:jobId/retry', async (ctx) => {
    try {
      await deps.notificationJobs.retry(consoleStateOf(ctx).principal, ctx.params.jobId ?? '');
      flash(ctx, 'success', 'Notification queued again: it is sent with all its attempts afresh.');
    } catch (error) {
      // Gone meanwhile (retried by someone else) is news, not an error page.
      if (!isDomainError(error) || !['NOT_FOUND', 'CONFLICT'].includes(error.code)) throw error;
      flash(ctx, 'info', error.message);
    }
    redirect(ctx, '/console/notification-jobs');
  });

  router.get('/console/email-templates', async (ctx) => {
    requireRead(ctx);
    await renderPage(ctx, deps, 'notifications', { title: 'Emails', nav: 'emails', templates: TEMPLATE_NAMES, rules: RULE_NAMES });
  });

  const templatePage = async (ctx: Context, name: string, values: { locale: string; subject: string; html: string; text: string; revision: number | undefined }, errors?: Record<string, string>) => {
    const resource = await loadEmailTemplate(deps.store, name);
    await renderPage(ctx, deps, 'emailTemplate', {
      title: name,
      nav: 'emails',
      name,
      values,
      errors,
      locales: [...new Set([...Object.keys(resource.locales), values.locale])].map((l) => ({ id: l, current: l === values.locale, customized: resource.customizedLocales.includes(l) })),
      variables: resource.variables,
      canChange: canChangeNotificationSettings(consoleStateOf(ctx).principal),
      preview: preview(values),
    }, errors ? 400 : 200);
  };

  router.get('/console/email-templates/:name', async (ctx) => {
    requireRead(ctx);
    const name = templateNameOf(ctx);
    const resource = await loadEmailTemplate(deps.store, name);
    const asked = ctx.query.locale;
    const locale = typeof asked === 'string' && /^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?$/.test(asked) ? asked : 'en';
    const shown = resource.locales[locale] ?? resource.locales.en ?? { subject: '', html: '', text: '' };
    await templatePage(ctx, name, { locale, subject: shown.subject, html: shown.html, text: shown.text, revision: resource.revision });
  });

  router.post('/console/email-templates/:name', async (ctx) => {
    requireChange(ctx);
    const name = templateNameOf(ctx);
    const form = formOf(ctx);
    const values = { locale: field(form, 'locale'), subject: form.get('subject') ?? '', html: form.get('html') ?? '', text: form.get('text') ?? '' };
    const revision = revisionOf(form);
    if (form.get('action') === 'preview') return templatePage(ctx, name, { ...values, revision });
    try {
      const result = await saveEmailTemplate(
        deps.commands,
        { name, ...values, ...(revision !== undefined && { expectedRevision: revision }) },
        consoleMetadata(ctx, deps),
      );
      await completeWrite(ctx, deps, result);
      flash(ctx, 'success', 'Template saved');
      redirect(ctx, `/console/email-templates/${name}?locale=${encodeURIComponent(values.locale)}`);
    } catch (error) {
      const errors = fieldErrors(error);
      if (!errors) throw error;
      if (isDomainError(error) && error.code === 'STALE_REVISION') errors._form = 'Someone else saved this template meanwhile. Reload to see it.';
      await templatePage(ctx, name, { ...values, revision }, errors);
    }
  });

  const rulePage = (ctx: Context, name: string, values: Record<string, unknown>, errors?: Record<string, string>) =>
    renderPage(ctx, deps, 'notificationRule', {
      title: name,
      nav: 'emails',
      name,
      values,
      errors,
      canChange: canChangeNotificationSettings(consoleStateOf(ctx).principal),
    }, errors ? 400 : 200);

  router.get('/console/notification-rules/:name', async (ctx) => {
    requireRead(ctx);
    const name = ruleNameOf(ctx);
    const { state, revision } = await loadNotificationRule(deps.store, name);
    await rulePage(ctx, name, { enabled: state.enabled, owner: state.recipients.owner, addresses: state.recipients.addresses.join('\n'), revision });
  });

  router.post('/console/notification-rules/:name', async (ctx) => {
    requireChange(ctx);
    const name = ruleNameOf(ctx);
    const form = formOf(ctx);
    const addresses = (form.get('addresses') ?? '').split(/[\s,;]+/).filter(Boolean);
    const values = { enabled: checked(form, 'enabled'), owner: checked(form, 'owner'), addresses: addresses.join('\n') };
    const revision = revisionOf(form);
    try {
      const result = await saveNotificationRule(
        deps.commands,
        { name, enabled: values.enabled, recipients: { owner: values.owner, addresses }, ...(revision !== undefined && { expectedRevision: revision }) },
        consoleMetadata(ctx, deps),
      );
      await completeWrite(ctx, deps, result);
      flash(ctx, 'success', 'Notification rule saved');
      redirect(ctx, `/console/notification-rules/${name}`);
    } catch (error) {
      const errors = fieldErrors(error);
      if (!errors) throw error;
      // The decider names recipients.addresses[i]; the form has one field for them all.
      for (const key of Object.keys(errors)) if (key.startsWith('recipients.addresses')) errors.addresses = `${errors.addresses ? `${errors.addresses}; ` : ''}${errors[key]}`;
      await rulePage(ctx, name, { ...values, revision }, errors);
    }
  });
}
