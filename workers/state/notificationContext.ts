import { evolveApplication, initialApplicationState } from '../../src/domain/application/applicationDecider.js';
import type { ApplicationEvent, ApplicationState } from '../../src/domain/application/applicationEvents.js';
import {
  evolveEmailTemplate,
  initialEmailTemplateState,
  type EmailTemplateState,
} from '../../src/domain/notification/emailTemplate.js';
import type { EmailTemplateUpdated, NotificationRuleUpdated } from '../../src/domain/notification/notificationEvents.js';
import {
  defaultNotificationRule,
  evolveNotificationRule,
  type NotificationRuleState,
} from '../../src/domain/notification/notificationRule.js';
import { evolveOrganization, initialOrganizationState } from '../../src/domain/organization/organizationDecider.js';
import type { OrganizationEvent, OrganizationState } from '../../src/domain/organization/organizationEvents.js';
import {
  toApplicationStreamName,
  toEmailTemplateStreamName,
  toNotificationRuleStreamName,
  toOrganizationStreamName,
  toUserStreamName,
} from '../../src/domain/shared/streamNames.js';
import { evolveUser, initialUserState } from '../../src/domain/user/userDecider.js';
import type { UserEvent, UserState } from '../../src/domain/user/userEvents.js';
import type { EventStore } from '../../src/eventStore/eventStore.js';
import { foldStream } from './foldStream.js';

/** Reads the state a notification needs, at send time, by folding the streams. */
export const loadApplication = (store: EventStore, id: string, upToRevision?: number): Promise<ApplicationState> =>
  foldStream<ApplicationState, ApplicationEvent>(store, toApplicationStreamName(id), evolveApplication, initialApplicationState(), upToRevision);

export const loadUser = (store: EventStore, id: string): Promise<UserState> =>
  foldStream<UserState, UserEvent>(store, toUserStreamName(id), evolveUser, initialUserState());

export const loadOrganization = (store: EventStore, id: string): Promise<OrganizationState> =>
  foldStream<OrganizationState, OrganizationEvent>(store, toOrganizationStreamName(id), evolveOrganization, initialOrganizationState());

export const loadNotificationRule = (store: EventStore, name: string): Promise<NotificationRuleState> =>
  foldStream<NotificationRuleState, NotificationRuleUpdated>(
    store,
    toNotificationRuleStreamName(name),
    evolveNotificationRule,
    defaultNotificationRule(name),
  );

export const loadEmailTemplate = (store: EventStore, name: string): Promise<EmailTemplateState> =>
  foldStream<EmailTemplateState, EmailTemplateUpdated>(store, toEmailTemplateStreamName(name), evolveEmailTemplate, initialEmailTemplateState());
