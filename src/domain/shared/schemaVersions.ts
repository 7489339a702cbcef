import type { ApplicationEvent } from '../application/applicationEvents.js';
import type { AuthorizationCodeEvent } from '../authorization/authorizationCodeEvents.js';
import type { AuthorizationRequestEvent } from '../authorization/authorizationRequestEvents.js';
import type { ConsentEvent } from '../authorization/consentEvents.js';
import type { NotificationEvent } from '../notification/notificationEvents.js';
import type { OrganizationEvent } from '../organization/organizationEvents.js';
import type { RefreshTokenFamilyEvent, TokenEvent } from '../tokens/tokenEvents.js';
import type { UniqueKeyEvent } from '../uniqueness/uniqueKeyEvents.js';
import type { UserEvent } from '../user/userEvents.js';

type WrittenEventType =
  | (
      | ApplicationEvent
      | AuthorizationCodeEvent
      | AuthorizationRequestEvent
      | ConsentEvent
      | NotificationEvent
      | OrganizationEvent
      | RefreshTokenFamilyEvent
      | TokenEvent
      | UniqueKeyEvent
      | UserEvent
    )['type']
  | 'BootstrapStarted'
  | 'BootstrapCompleted'
  | 'BootstrapResumed';

/**
 * The schema version of `data` for every event type this version writes: the one table the
 * metadata builder stamps into `metadata.schemaVersion` (src/eventStore/eventMetadata.ts), so
 * upcasters never have to guess a shape. Changing an event's data shape means bumping its
 * number here and registering an upcaster from the old number (src/eventStore/upcasters.ts).
 * Events read without the marker are version 1 (the first release wrote none).
 */
export const SCHEMA_VERSIONS = {
  ApplicationCreated: 2,
  ApplicationUpdated: 1,
  ApplicationSecretRotated: 1,
  ApplicationActivated: 1,
  ApplicationDeactivated: 1,
  ApplicationDeleted: 1,
  OrganizationCreated: 1,
  OrganizationRenamed: 1,
  OrganizationEnabled: 1,
  OrganizationDisabled: 1,
  UserRegistered: 1,
  UserProfileUpdated: 1,
  UserRolesChanged: 1,
  UserEnabled: 1,
  UserDisabled: 1,
  UserLocked: 1,
  UserUnlocked: 1,
  UserLoginFailed: 1,
  UserLoginFailuresReset: 1,
  UserPasswordChanged: 1,
  UserLockedOut: 1,
  UserLockoutEnded: 1,
  UserSignedIn: 1,
  UserSignedOut: 1,
  UniqueKeyReserved: 1,
  UniqueKeyReleased: 1,
  EmailTemplateUpdated: 1,
  NotificationRuleUpdated: 1,
  RefreshTokenIssued: 1,
  RefreshTokenRotated: 1,
  RefreshTokenFamilyRevoked: 1,
  /**
   * Version 2: the compact stored form (src/eventStore/upcasters/tokenIssuedCompact.ts). It later
   * gained the optional `previousSecret` (`p`): additive, absent on older v2 events and meaning
   * the same there (the current secret, or not recorded), so every v2 reader reads both and the
   * number stays 2. A field that changes the meaning of existing ones would bump it.
   */
  TokenIssued: 2,
  TokenRevoked: 1,
  AuthorizationCodeGranted: 1,
  AuthorizationCodeIssued: 1,
  AuthorizationCodeRedeemed: 1,
  AuthorizationCodeReplayed: 1,
  AuthorizationRequestTaken: 1,
  ConsentGranted: 1,
  ConsentTokensIssued: 1,
  ConsentRevoked: 1,
  BootstrapStarted: 1,
  BootstrapCompleted: 1,
  BootstrapResumed: 1,
} as const satisfies Record<WrittenEventType, number>;

/** The version written for `type`; 1 for a type the table does not list. */
export const schemaVersionFor = (type: string): number =>
  Object.hasOwn(SCHEMA_VERSIONS, type) ? SCHEMA_VERSIONS[type as keyof typeof SCHEMA_VERSIONS] : 1;
