import { isValidEmailAddress } from '../../src/domain/notification/emailAddress.js';
import { MailDeliveryError, type OutgoingEmail } from './mailer.js';

/** Refuses, as a permanent failure, what no mail server could deliver. */
export function checkRecipients(email: OutgoingEmail): void {
  if (email.to.length === 0) throw new MailDeliveryError('No recipients', true);
  const invalid = email.to.filter((a) => !isValidEmailAddress(a));
  if (invalid.length > 0)
    throw new MailDeliveryError(`Invalid recipient address: ${invalid.map((a) => JSON.stringify(a.slice(0, 100))).join(', ')}`, true);
  const sender = /<([^<>]+)>\s*$/.exec(email.from)?.[1] ?? email.from;
  if (!isValidEmailAddress(sender)) throw new MailDeliveryError(`Invalid sender address ${JSON.stringify(email.from)}`, true);
}
