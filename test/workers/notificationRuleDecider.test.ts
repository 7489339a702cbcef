import { expect } from 'chai';
import {
  createNotificationRuleDecider,
  type NotificationRuleUpdated,
  type UpdateNotificationRule,
} from '../../src/domain/notification/index.js';
import { DeciderSpecification } from '../support/deciderSpecification.js';

const name = 'oauth-application-created';
const given = DeciderSpecification.for(createNotificationRuleDecider(name));
const metadata = { actor: 'admin-1', actorKind: 'user' as const, now: new Date('2026-01-01T00:00:00Z'), correlationId: 'c-1' };
const update = (data: Partial<UpdateNotificationRule['data']> = {}): UpdateNotificationRule => ({
  type: 'UpdateNotificationRule',
  data: { name, enabled: true, recipients: { owner: true, addresses: [] }, ...data },
  metadata,
});
const updated = (data: Partial<NotificationRuleUpdated['data']> = {}): NotificationRuleUpdated => ({
  type: 'NotificationRuleUpdated',
  data: { name, enabled: true, recipients: { owner: true, addresses: [] }, ...data },
});
const fields = (e: { errors: { field: string }[] }): string[] => e.errors.map((x) => x.field);

describe('notification rule decider', () => {
  it('given no update, then the default rule is enabled and sends to the owner', () => {
    given([]).when(update()).thenState((s) => {
      expect(s.enabled).to.equal(true);
      expect(s.recipients).to.deep.equal({ owner: true, addresses: [] });
    });
  });

  it('when the rule is disabled, then NotificationRuleUpdated is recorded', () => {
    given([]).when(update({ enabled: false })).then([updated({ enabled: false })]);
  });

  it('given a saved rule, when the same rule is saved, then nothing happens', () => {
    given([updated({ enabled: false })]).when(update({ enabled: false })).thenNothingHappened();
  });

  it('when fixed addresses are set, then duplicates (any case) collapse', () => {
    given([])
      .when(update({ recipients: { owner: false, addresses: ['ops@example.com', 'OPS@example.com', 'sec@example.org'] } }))
      .then([updated({ recipients: { owner: false, addresses: ['ops@example.com', 'sec@example.org'] } })]);
  });

  it('when an address is invalid, then the rule is refused naming the address', () => {
    for (const bad of ['not-an-email', 'a@b', 'x@example.com\r\nBcc: y@example.com', 'a b@example.com', 'a,b@example.com', '<a@example.com>']) {
      const error = given([]).when(update({ recipients: { owner: true, addresses: ['ok@example.com', bad] } })).thenThrows('VALIDATION');
      expect(fields(error)).to.deep.equal(['recipients.addresses[1]']);
    }
  });

  it('when more than 50 addresses are given, then the rule is refused', () => {
    const addresses = Array.from({ length: 51 }, (_, i) => `u${i}@example.com`);
    const error = given([]).when(update({ recipients: { owner: false, addresses } })).thenThrows('VALIDATION');
    expect(fields(error)).to.deep.equal(['recipients.addresses']);
  });

  it('when an enabled rule has no recipient at all, then it is refused; a disabled one may', () => {
    const error = given([]).when(update({ recipients: { owner: false, addresses: [] } })).thenThrows('VALIDATION');
    expect(fields(error)).to.deep.equal(['recipients']);
    given([])
      .when(update({ enabled: false, recipients: { owner: false, addresses: [] } }))
      .then([updated({ enabled: false, recipients: { owner: false, addresses: [] } })]);
  });

  it('when the rule name is unknown, then it is refused', () => {
    const error = given([]).when(update({ name: 'oauth-application-exploded' })).thenThrows('VALIDATION');
    expect(fields(error)).to.deep.equal(['name']);
  });
});
