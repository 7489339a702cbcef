/**
 * The variables a notification template may reference. Referencing anything else is refused
 * when the template is saved (decision for issue 5: "refused", not "rendered empty" — a typo
 * such as `{{aplicationName}}` would otherwise ship blank emails unnoticed).
 *
 * The client secret and its hash are deliberately absent: no template can ever show them.
 */
export interface TemplateVariables {
  applicationName: string;
  applicationId: string;
  clientId: string;
  organizationName: string;
  ownerName: string;
  ownerEmail: string;
  /** When the application was created (ISO-8601). */
  createdAt: string;
  /** When the notified event happened (ISO-8601): creation, rotation or deactivation. */
  occurredAt: string;
  /** Secret rotation only: until when the previous secret keeps working (ISO) or empty. */
  previousSecretValidUntil: string;
  /** The application's URL if it has one, else its page in the admin. */
  link: string;
}

export const TEMPLATE_VARIABLES: readonly (keyof TemplateVariables)[] = [
  'applicationName',
  'applicationId',
  'clientId',
  'organizationName',
  'ownerName',
  'ownerEmail',
  'createdAt',
  'occurredAt',
  'previousSecretValidUntil',
  'link',
];

/** Block helpers a template may use; every other helper (each, with, lookup, partials) is refused. */
export const TEMPLATE_HELPERS: readonly string[] = ['if', 'unless'];
