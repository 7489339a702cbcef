import type { Command } from '../shared/event.js';
import type { NotificationRecipients, NotificationRuleUpdated } from './notificationEvents.js';

/** Stream `notificationRule-<name>`; an empty stream means the shipped default rule. */
export interface NotificationRuleState {
  name: string;
  enabled: boolean;
  recipients: NotificationRecipients;
  /** false while no update was ever saved (the default is in force). */
  customized: boolean;
}

export type UpdateNotificationRule = Command<
  'UpdateNotificationRule',
  { name: string; enabled: boolean; recipients: NotificationRecipients }
>;

/** The default: enabled, to the application's owner, as Oro's rule on client creation. */
export const defaultNotificationRule = (name: string): NotificationRuleState => ({
  name,
  enabled: true,
  recipients: { owner: true, addresses: [] },
  customized: false,
});

export function evolveNotificationRule(
  _state: NotificationRuleState,
  event: NotificationRuleUpdated,
): NotificationRuleState {
  const { name, enabled, recipients } = event.data;
  return { name, enabled, recipients: { owner: recipients.owner, addresses: [...recipients.addresses] }, customized: true };
}

export const MAX_RULE_ADDRESSES = 50;
