/**
 * What can be notified, which template renders it and which rule governs it. Names follow
 * Oro's (`user_oauth_application_created`, `customer_user_oauth_application_created`).
 */
export const RULE_NAMES = [
  'oauth-application-created',
  'oauth-application-secret-rotated',
  'oauth-application-deactivated',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const TEMPLATE_NAMES = [
  'user_oauth_application_created',
  'customer_user_oauth_application_created',
  'user_oauth_application_secret_rotated',
  'customer_user_oauth_application_secret_rotated',
  'user_oauth_application_deactivated',
  'customer_user_oauth_application_deactivated',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export const isRuleName = (name: string): name is RuleName =>
  (RULE_NAMES as readonly string[]).includes(name);
export const isTemplateName = (name: string): name is TemplateName =>
  (TEMPLATE_NAMES as readonly string[]).includes(name);

/** The application events the notification worker reacts to. */
export const NOTIFIED_EVENT_TYPES = [
  'ApplicationCreated',
  'ApplicationSecretRotated',
  'ApplicationDeactivated',
] as const;
export type NotifiedEventType = (typeof NOTIFIED_EVENT_TYPES)[number];

export const ruleForEvent: Record<NotifiedEventType, RuleName> = {
  ApplicationCreated: 'oauth-application-created',
  ApplicationSecretRotated: 'oauth-application-secret-rotated',
  ApplicationDeactivated: 'oauth-application-deactivated',
};

/** Storefront applications (customer owners) get the `customer_` variant, as in Oro. */
export function templateForEvent(type: NotifiedEventType, frontend: boolean): TemplateName {
  const suffix =
    type === 'ApplicationCreated'
      ? 'oauth_application_created'
      : type === 'ApplicationSecretRotated'
        ? 'oauth_application_secret_rotated'
        : 'oauth_application_deactivated';
  return `${frontend ? 'customer_user' : 'user'}_${suffix}` as TemplateName;
}
