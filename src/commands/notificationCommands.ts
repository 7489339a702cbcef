import { createEmailTemplateDecider } from '../domain/notification/emailTemplateDecider.js';
import {
  evolveEmailTemplate,
  initialEmailTemplateState,
  type EmailTemplateState,
} from '../domain/notification/emailTemplate.js';
import { createNotificationRuleDecider, defaultNotificationRule, evolveNotificationRule } from '../domain/notification/index.js';
import type { NotificationRecipients } from '../domain/notification/notificationEvents.js';
import { TEMPLATE_VARIABLES } from '../domain/notification/templateVariables.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { toEmailTemplateStreamName, toNotificationRuleStreamName } from '../domain/shared/streamNames.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { analyzeHandlebarsTemplate } from '../../workers/templates/analyzeHandlebarsTemplate.js';
import { DEFAULT_TEMPLATES } from '../../workers/templates/defaultTemplates.js';
import { aggregateStream } from './aggregateStream.js';
import type { CommandDeps } from './commandDeps.js';

const templateDecider = createEmailTemplateDecider(analyzeHandlebarsTemplate);
const withRevision = (expectedRevision: number | undefined) => (expectedRevision === undefined ? {} : { expectedRevision });

/** A template as shown: the defaults per locale, overlaid with the saved ones. */
export function emailTemplateResource(name: string, state: EmailTemplateState, revision: number) {
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

export const loadEmailTemplate = async (store: EventStore, name: string) => {
  const { state, revision } = await aggregateStream(store, toEmailTemplateStreamName(name), evolveEmailTemplate, initialEmailTemplateState);
  return emailTemplateResource(name, state, revision);
};

/** Saves one locale of a template; the decider refuses what would not render (per field). */
export const saveEmailTemplate = (
  deps: CommandDeps,
  input: { name: string; locale: string; subject: string; html: string; text: string; expectedRevision?: number },
  metadata: CommandMetadata,
) => {
  const { expectedRevision, ...data } = input;
  return deps.handler.handle(templateDecider, toEmailTemplateStreamName(input.name), { type: 'UpdateEmailTemplate', data, metadata }, withRevision(expectedRevision));
};

export const loadNotificationRule = (store: EventStore, name: string) =>
  aggregateStream(store, toNotificationRuleStreamName(name), evolveNotificationRule, () => defaultNotificationRule(name));

export const saveNotificationRule = (
  deps: CommandDeps,
  input: { name: string; enabled: boolean; recipients: NotificationRecipients; expectedRevision?: number },
  metadata: CommandMetadata,
) => {
  const { expectedRevision, ...data } = input;
  return deps.handler.handle(createNotificationRuleDecider(input.name), toNotificationRuleStreamName(input.name), { type: 'UpdateNotificationRule', data, metadata }, withRevision(expectedRevision));
};
