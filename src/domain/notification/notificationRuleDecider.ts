import { DomainError, type FieldError } from '../shared/domainError.js';
import type { Decider } from '../shared/event.js';
import { isValidEmailAddress } from './emailAddress.js';
import { isRuleName } from './notificationCatalog.js';
import type { NotificationRuleUpdated } from './notificationEvents.js';
import {
  MAX_RULE_ADDRESSES,
  defaultNotificationRule,
  evolveNotificationRule,
  type NotificationRuleState,
  type UpdateNotificationRule,
} from './notificationRule.js';

function validate(data: UpdateNotificationRule['data']): FieldError[] {
  const errors: FieldError[] = [];
  if (!isRuleName(data.name)) errors.push({ field: 'name', message: `Unknown notification rule "${data.name}"` });
  const addresses = data.recipients.addresses;
  if (addresses.length > MAX_RULE_ADDRESSES)
    errors.push({ field: 'recipients.addresses', message: `At most ${MAX_RULE_ADDRESSES} addresses` });
  addresses.forEach((address, i) => {
    if (!isValidEmailAddress(address))
      errors.push({ field: `recipients.addresses[${i}]`, message: `"${address.slice(0, 100)}" is not a valid email address` });
  });
  if (data.enabled && !data.recipients.owner && addresses.length === 0)
    errors.push({ field: 'recipients', message: 'An enabled rule needs the owner or at least one address' });
  return errors;
}

/** Addresses compare case-insensitively; duplicates collapse, first spelling kept. */
function uniqueAddresses(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => (seen.has(a.toLowerCase()) ? false : (seen.add(a.toLowerCase()), true)));
}

const sameRule = (a: NotificationRuleState, b: UpdateNotificationRule['data']): boolean =>
  a.enabled === b.enabled &&
  a.recipients.owner === b.recipients.owner &&
  a.recipients.addresses.join('\n') === b.recipients.addresses.join('\n');

/** The decider needs the rule's name to build its default state, so it is made per rule. */
export function createNotificationRuleDecider(
  name: string,
): Decider<NotificationRuleState, UpdateNotificationRule, NotificationRuleUpdated> {
  return {
    initialState: () => defaultNotificationRule(name),
    evolve: evolveNotificationRule,
    decide(command, state) {
      const errors = validate(command.data);
      if (errors.length > 0) throw new DomainError('VALIDATION', 'Invalid notification rule', errors);
      const data = {
        name: command.data.name,
        enabled: command.data.enabled,
        recipients: { owner: command.data.recipients.owner, addresses: uniqueAddresses(command.data.recipients.addresses) },
      };
      // An explicit save of the default values is still recorded: it pins the rule.
      if (state.customized && sameRule(state, data)) return [];
      return [{ type: 'NotificationRuleUpdated', data }];
    },
  };
}
