import { createEmailTemplateDecider } from '../domain/notification/emailTemplateDecider.js';
import type { EmailTemplateState } from '../domain/notification/emailTemplate.js';
import { createNotificationRuleDecider } from '../domain/notification/index.js';
import type { NotificationRuleState } from '../domain/notification/notificationRule.js';
import type { TemplateAnalyzer } from '../domain/notification/templateAnalysis.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { toEmailTemplateStreamName, toNotificationRuleStreamName } from '../domain/shared/streamNames.js';
import type { CommandDeps } from './commandDeps.js';
import type { HandleResult } from './commandHandler.js';

export interface EmailTemplateInput {
  name: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
  expectedRevision?: number;
}

export interface NotificationRuleInput {
  name: string;
  enabled: boolean;
  recipients: { owner: boolean; addresses: string[] };
  expectedRevision?: number;
}

export interface NotificationCommands {
  saveEmailTemplate(deps: CommandDeps, input: EmailTemplateInput, metadata: CommandMetadata): Promise<HandleResult<EmailTemplateState>>;
  saveNotificationRule(deps: CommandDeps, input: NotificationRuleInput, metadata: CommandMetadata): Promise<HandleResult<NotificationRuleState>>;
}

const revisionOption = (expectedRevision: number | undefined) => (expectedRevision === undefined ? {} : { expectedRevision });

/**
 * The one write path for notification settings (admin API and console). The template
 * analyzer (compile, list references, trial render) is engine-specific, so it is passed in.
 */
export function createNotificationCommands(analyze: TemplateAnalyzer): NotificationCommands {
  const templateDecider = createEmailTemplateDecider(analyze);
  return {
    saveEmailTemplate: (deps, { expectedRevision, ...data }, metadata) =>
      deps.handler.handle(
        templateDecider,
        toEmailTemplateStreamName(data.name),
        { type: 'UpdateEmailTemplate', data, metadata },
        revisionOption(expectedRevision),
      ),
    saveNotificationRule: (deps, { expectedRevision, ...data }, metadata) =>
      deps.handler.handle(
        createNotificationRuleDecider(data.name),
        toNotificationRuleStreamName(data.name),
        { type: 'UpdateNotificationRule', data, metadata },
        revisionOption(expectedRevision),
      ),
  };
}
