import { randomUUID } from 'node:crypto';
import type { ApplicationCreated } from '../../src/domain/application/applicationEvents.js';
import type { RuleName, TemplateName } from '../../src/domain/notification/notificationCatalog.js';
import type { LocalizedEmailTemplate } from '../../src/domain/notification/emailTemplate.js';
import type { NotificationRecipients } from '../../src/domain/notification/notificationEvents.js';
import {
  toApplicationStreamName,
  toEmailTemplateStreamName,
  toNotificationRuleStreamName,
  toOrganizationStreamName,
  toUserStreamName,
} from '../../src/domain/shared/streamNames.js';
import type { EventStore, NewEvent } from '../../src/eventStore/eventStore.js';

/** Writes catalog events straight into a real store: the notification tests' "given". */
const event = (type: string, data: object, occurredAt = new Date().toISOString()): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { actor: 'admin-1', occurredAt, correlationId: randomUUID() },
});

export const SECRET_HASH = 'scrypt$SECRET-HASH-MUST-NEVER-BE-MAILED';

export function givenEvents(store: EventStore) {
  return {
    async organization(name = 'ACME Corp'): Promise<string> {
      const id = randomUUID();
      await store.appendToStream(toOrganizationStreamName(id), [event('OrganizationCreated', { organizationId: id, name, globalAccess: false })]);
      return id;
    },
    async user(o: { organizationId: string; username?: string; email?: string; locale?: string; kind?: 'backOffice' | 'customer' }): Promise<string> {
      const id = randomUUID();
      await store.appendToStream(toUserStreamName(id), [
        event('UserRegistered', {
          userId: id,
          kind: o.kind ?? 'backOffice',
          username: o.username ?? 'jdoe',
          email: o.email ?? 'jdoe@example.com',
          locale: o.locale ?? 'en',
          roles: ['user'],
          organizationIds: [o.organizationId],
          passwordHash: 'scrypt$x',
        }),
      ]);
      return id;
    },
    /** Appends ApplicationCreated; returns the application id and the event id (= job id). */
    async application(o: { organizationId: string; ownerUserId: string | null; name?: string; frontend?: boolean; applicationUrl?: string | null }): Promise<{ applicationId: string; eventId: string; clientId: string }> {
      const applicationId = randomUUID();
      const clientId = randomUUID().replaceAll('-', '');
      const data: ApplicationCreated['data'] = {
        applicationId,
        clientId,
        secretHash: SECRET_HASH,
        name: o.name ?? 'Billing sync',
        organizationId: o.organizationId,
        ownerUserId: o.ownerUserId,
        active: true,
        grants: ['client_credentials'],
        frontend: o.frontend ?? false,
        allApis: true,
        apis: [],
        scopes: [],
        applicationUrl: o.applicationUrl ?? null,
        description: null,
      };
      const created = event('ApplicationCreated', data, '2026-02-03T04:05:06.000Z');
      await store.appendToStream(toApplicationStreamName(applicationId), [created], { expectedRevision: 'no_stream' });
      return { applicationId, eventId: created.id, clientId };
    },
    async secretRotated(applicationId: string, previousSecretValidUntil: string | null): Promise<string> {
      const e = event('ApplicationSecretRotated', { applicationId, secretHash: SECRET_HASH + '-2', previousSecretValidUntil });
      await store.appendToStream(toApplicationStreamName(applicationId), [e]);
      return e.id;
    },
    async deactivated(applicationId: string): Promise<string> {
      const e = event('ApplicationDeactivated', { applicationId });
      await store.appendToStream(toApplicationStreamName(applicationId), [e]);
      return e.id;
    },
    async rule(name: RuleName, enabled: boolean, recipients: NotificationRecipients = { owner: true, addresses: [] }): Promise<void> {
      await store.appendToStream(toNotificationRuleStreamName(name), [event('NotificationRuleUpdated', { name, enabled, recipients })]);
    },
    async template(name: TemplateName, locale: string, t: LocalizedEmailTemplate): Promise<void> {
      await store.appendToStream(toEmailTemplateStreamName(name), [event('EmailTemplateUpdated', { name, locale, ...t })]);
    },
  };
}
