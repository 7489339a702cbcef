import type { ExistingApplication } from '../src/domain/application/applicationEvents.js';
import { isValidEmailAddress } from '../src/domain/notification/emailAddress.js';
import { DEFAULT_LOCALE } from '../src/domain/notification/locale.js';
import {
  NOTIFIED_EVENT_TYPES,
  ruleForEvent,
  templateForEvent,
  type NotifiedEventType,
} from '../src/domain/notification/notificationCatalog.js';
import type { TemplateVariables } from '../src/domain/notification/templateVariables.js';
import type { EventStore } from '../src/eventStore/eventStore.js';
import type { Mailer } from './mail/mailer.js';
import type { Job, JobOutcome, JobProcessor } from './queue/jobQueue.js';
import {
  loadApplication,
  loadEmailTemplate,
  loadNotificationRule,
  loadOrganization,
  loadUser,
} from './state/notificationContext.js';
import { chooseTemplate } from './templates/chooseTemplate.js';
import { renderEmail } from './templates/renderEmail.js';

/** What the reactor puts in a job: a pointer to the event; state is read at send time. */
export interface NotificationJobPayload {
  eventId: string;
  eventType: NotifiedEventType;
  applicationId: string;
  /** Revision of the event in the application stream: state is folded up to it. */
  revision: number;
  occurredAt: string;
  /** ApplicationSecretRotated only. */
  previousSecretValidUntil?: string | null;
}

/** A failure no retry can fix (no email address, unknown application): straight to failed. */
export class PermanentNotificationError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentNotificationError';
  }
}

export interface NotificationProcessorDeps {
  store: EventStore;
  mailer: Mailer;
  mailFrom: string;
  /** Base of the links to the application's console page: `${issuer}/console/oauth-applications/<id>`. */
  issuer: string;
}

interface Recipients {
  to: string[];
  locale: string;
  ownerName: string;
  ownerEmail: string;
}

async function resolveRecipients(deps: NotificationProcessorDeps, app: ExistingApplication, rule: { owner: boolean; addresses: string[] }): Promise<Recipients | string> {
  const to: string[] = [];
  let locale = DEFAULT_LOCALE;
  let ownerName = '';
  let ownerEmail = '';
  if (app.ownerUserId) {
    const owner = await loadUser(deps.store, app.ownerUserId);
    if (owner.status === 'Empty') {
      if (rule.owner) throw new PermanentNotificationError(`Owner user ${app.ownerUserId} not found`);
    } else {
      ownerName = owner.username;
      ownerEmail = owner.email ?? '';
      locale = owner.locale || DEFAULT_LOCALE;
      if (rule.owner) {
        if (!ownerEmail) throw new PermanentNotificationError(`Owner ${owner.username} has no email address`);
        if (!isValidEmailAddress(ownerEmail))
          throw new PermanentNotificationError(`Owner ${owner.username} has an invalid email address`);
        to.push(ownerEmail);
      }
    }
  }
  for (const a of rule.addresses) if (!to.some((t) => t.toLowerCase() === a.toLowerCase())) to.push(a);
  if (to.length === 0) return app.ownerUserId ? 'no recipients' : 'application has no owner and the rule no addresses';
  return { to, locale, ownerName, ownerEmail };
}

export function createNotificationProcessor(deps: NotificationProcessorDeps): JobProcessor<NotificationJobPayload> {
  const issuer = deps.issuer.replace(/\/+$/, '');
  const messageHost = new URL(issuer).hostname || 'tollgate';
  return async (job: Job<NotificationJobPayload>): Promise<JobOutcome> => {
    const p = job.payload;
    if (!(NOTIFIED_EVENT_TYPES as readonly string[]).includes(p.eventType))
      throw new PermanentNotificationError(`Not a notified event type: ${String(p.eventType)}`);
    const rule = await loadNotificationRule(deps.store, ruleForEvent[p.eventType]);
    if (!rule.enabled) return { status: 'skipped', detail: `rule ${rule.name} disabled` };
    const app = await loadApplication(deps.store, p.applicationId, p.revision);
    if (app.status === 'Empty') throw new PermanentNotificationError(`Application ${p.applicationId} not found`);
    const recipients = await resolveRecipients(deps, app, rule.recipients);
    if (typeof recipients === 'string') return { status: 'skipped', detail: recipients };
    const org = await loadOrganization(deps.store, app.organizationId);
    const templateName = templateForEvent(p.eventType, app.frontend);
    const { template } = chooseTemplate(templateName, await loadEmailTemplate(deps.store, templateName), recipients.locale);
    // Built field by field from state: the secret hash is in state but never copied here.
    const variables: TemplateVariables = {
      applicationName: app.name,
      applicationId: app.applicationId,
      clientId: app.clientId,
      organizationName: org.status === 'Empty' ? app.organizationId : org.name,
      ownerName: recipients.ownerName,
      ownerEmail: recipients.ownerEmail,
      createdAt: app.createdAt || p.occurredAt,
      occurredAt: p.occurredAt,
      previousSecretValidUntil: p.previousSecretValidUntil ?? '',
      link: app.applicationUrl || `${issuer}/console/oauth-applications/${encodeURIComponent(app.applicationId)}`,
    };
    const rendered = renderEmail(template, variables);
    await deps.mailer.send({
      from: deps.mailFrom,
      to: recipients.to,
      ...rendered,
      messageId: `<${job.id}@${messageHost}>`,
    });
    return { status: 'sent', detail: `${templateName} to ${recipients.to.length} recipient(s)` };
  };
}
