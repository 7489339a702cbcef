/** Stream names, one helper each (DESIGN §3). */
export const toOrganizationStreamName = (id: string): string => `organization-${id}`;
export const toUserStreamName = (id: string): string => `user-${id}`;
export const toApplicationStreamName = (id: string): string => `oauthApplication-${id}`;
export const toTokensStreamName = (applicationId: string): string => `oauthTokens-${applicationId}`;
export const toRefreshTokenFamilyStreamName = (familyId: string): string =>
  `refreshTokenFamily-${familyId}`;
/** One stream per authorization code, named by the code's hash (never the code). */
export const toAuthorizationCodeStreamName = (codeHash: string): string => `authorizationCode-${codeHash}`;
/** One stream per parked authorization request, taken once (pendingAuthorizations.ts). */
export const toAuthorizationRequestStreamName = (requestId: string): string => `authorizationRequest-${requestId}`;
export const toConsentStreamName = (userId: string): string => `oauthConsents-${userId}`;
export const toEmailTemplateStreamName = (name: string): string => `emailTemplate-${name}`;
export const toNotificationRuleStreamName = (name: string): string => `notificationRule-${name}`;
/** Uniqueness reservations (see ARCHITECTURE.md, "Uniqueness across streams"). */
export const toUniqueKeyStreamName = (scope: string, key: string): string =>
  `unique-${scope}-${key}`;

export const streamPrefixes = {
  organization: 'organization-',
  user: 'user-',
  application: 'oauthApplication-',
  tokens: 'oauthTokens-',
  refreshTokenFamily: 'refreshTokenFamily-',
  authorizationCode: 'authorizationCode-',
  authorizationRequest: 'authorizationRequest-',
  consent: 'oauthConsents-',
  emailTemplate: 'emailTemplate-',
  notificationRule: 'notificationRule-',
  unique: 'unique-',
} as const;

/** The id part of a stream name (`oauthApplication-abc` → `abc`). */
export const idFromStreamName = (streamName: string): string =>
  streamName.slice(streamName.indexOf('-') + 1);
