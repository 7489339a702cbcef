import type { Event } from '../shared/event.js';

export type EmailTemplateUpdated = Event<
  'EmailTemplateUpdated',
  { name: string; locale: string; subject: string; html: string; text: string }
>;
export type NotificationRecipients = { owner: boolean; addresses: string[] };
export type NotificationRuleUpdated = Event<
  'NotificationRuleUpdated',
  { name: string; enabled: boolean; recipients: NotificationRecipients }
>;
export type NotificationEvent = EmailTemplateUpdated | NotificationRuleUpdated;
