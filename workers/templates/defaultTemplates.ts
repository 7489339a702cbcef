import type { LocalizedEmailTemplate } from '../../src/domain/notification/emailTemplate.js';
import type { TemplateName } from '../../src/domain/notification/notificationCatalog.js';

/**
 * Shipped templates, used when no EmailTemplateUpdated exists for a name and locale chain.
 * Every default has an `en` version (the end of every fallback chain). They pass the same
 * validation as edited templates (test/workers/defaultTemplates.test.ts).
 */
const footerText = '\n\nThis message was sent by Tollgate. The client secret is never sent by email.';
const footerHtml = '<p style="color:#666">This message was sent by Tollgate. The client secret is never sent by email.</p>';

const details = {
  text: 'Application: {{applicationName}}\nClient ID: {{clientId}}\nOrganization: {{organizationName}}\nOwner: {{ownerName}} <{{ownerEmail}}>\nCreated: {{createdAt}}\nLink: {{link}}',
  html: '<ul><li>Application: <b>{{applicationName}}</b></li><li>Client ID: <code>{{clientId}}</code></li><li>Organization: {{organizationName}}</li><li>Owner: {{ownerName}} &lt;{{ownerEmail}}&gt;</li><li>Created: {{createdAt}}</li></ul><p><a href="{{link}}">{{link}}</a></p>',
};

function template(subject: string, intro: string): LocalizedEmailTemplate {
  return {
    subject,
    text: `Hello {{ownerName}},\n\n${intro}\n\n${details.text}${footerText}\n`,
    html: `<p>Hello {{ownerName}},</p><p>${intro}</p>${details.html}${footerHtml}`,
  };
}

const created = {
  en: template('OAuth application added to your account', 'The OAuth application "{{applicationName}}" was added to your account.'),
  de: {
    subject: 'OAuth-Anwendung zu Ihrem Konto hinzugefügt',
    text: 'Hallo {{ownerName}},\n\ndie OAuth-Anwendung "{{applicationName}}" wurde Ihrem Konto hinzugefügt.\n\nClient-ID: {{clientId}}\nOrganisation: {{organizationName}}\nErstellt: {{createdAt}}\nLink: {{link}}\n',
    html: '<p>Hallo {{ownerName}},</p><p>die OAuth-Anwendung <b>{{applicationName}}</b> wurde Ihrem Konto hinzugefügt.</p><p>Client-ID: <code>{{clientId}}</code><br>Organisation: {{organizationName}}<br>Erstellt: {{createdAt}}</p><p><a href="{{link}}">{{link}}</a></p>',
  },
};
const rotated = {
  en: template(
    'The secret of your OAuth application "{{applicationName}}" was rotated',
    'A new client secret was issued for "{{applicationName}}" at {{occurredAt}}.{{#if previousSecretValidUntil}} The previous secret keeps working until {{previousSecretValidUntil}}.{{else}} The previous secret no longer works.{{/if}}',
  ),
};
const deactivated = {
  en: template(
    'Your OAuth application "{{applicationName}}" was deactivated',
    'The OAuth application "{{applicationName}}" was deactivated at {{occurredAt}}; its tokens no longer work.',
  ),
};

export const DEFAULT_TEMPLATES: Record<TemplateName, Readonly<Record<string, LocalizedEmailTemplate>>> = {
  user_oauth_application_created: created,
  customer_user_oauth_application_created: created,
  user_oauth_application_secret_rotated: rotated,
  customer_user_oauth_application_secret_rotated: rotated,
  user_oauth_application_deactivated: deactivated,
  customer_user_oauth_application_deactivated: deactivated,
};
