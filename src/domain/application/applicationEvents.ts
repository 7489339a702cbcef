import type { Event } from '../shared/event.js';

export type Grant = 'client_credentials' | 'password' | 'authorization_code' | 'refresh_token';
export const GRANTS: readonly Grant[] = ['client_credentials', 'password', 'authorization_code', 'refresh_token'];

/** Fields an ApplicationUpdated may change (grants and owner are fixed after creation). */
export interface EditableApplicationFields {
  name: string;
  organizationId: string;
  allApis: boolean;
  apis: string[];
  scopes: string[];
  applicationUrl: string | null;
  description: string | null;
  /** authorization_code: the registered redirect URIs, compared exactly. */
  redirectUris: string[];
  /** false: a public client (no secret; authorization_code with PKCE only). */
  confidential: boolean;
  /** authorization_code: grant at once, without the consent page (first-party applications). */
  skipConsent: boolean;
  /** Seconds; null: the server's ACCESS_TOKEN_TTL (never more than it). */
  accessTokenTtl: number | null;
  /** Seconds; null: the server's REFRESH_TOKEN_TTL (never more than it). */
  refreshTokenTtl: number | null;
}

/** Fields added with authorization_code: absent from older ApplicationCreated events. */
export type LaterApplicationField = 'redirectUris' | 'confidential' | 'skipConsent' | 'accessTokenTtl' | 'refreshTokenTtl';
export const LATER_FIELD_DEFAULTS: Pick<EditableApplicationFields, LaterApplicationField> = {
  redirectUris: [],
  confidential: true,
  skipConsent: false,
  accessTokenTtl: null,
  refreshTokenTtl: null,
};

export type FieldChange<T> = { from: T; to: T };
export type ApplicationChanges = Partial<{
  [K in keyof EditableApplicationFields]: FieldChange<EditableApplicationFields[K]>;
}>;

export type ApplicationCreated = Event<
  'ApplicationCreated',
  Omit<EditableApplicationFields, LaterApplicationField> &
    Partial<Pick<EditableApplicationFields, LaterApplicationField>> & {
    applicationId: string;
    clientId: string;
    /** Hash of the client secret (src/security/secretHash.ts); never the secret. */
    secretHash: string;
    ownerUserId: string | null;
    active: boolean;
    grants: Grant[];
    /** A storefront application (owner is a customer user). */
    frontend: boolean;
    /**
     * Tollgate's own client (the console): its password grant accepts back-office users of
     * any organization. Set only by the system at first start, never through the admin API;
     * present only when true.
     */
    firstParty?: true;
  }
>;
export type ApplicationUpdated = Event<
  'ApplicationUpdated',
  { applicationId: string; changes: ApplicationChanges }
>;
export type ApplicationActivated = Event<'ApplicationActivated', { applicationId: string }>;
export type ApplicationDeactivated = Event<'ApplicationDeactivated', { applicationId: string }>;
export type ApplicationSecretRotated = Event<
  'ApplicationSecretRotated',
  {
    applicationId: string;
    secretHash: string;
    /** Until when the previous secret keeps working (ISO), or null: it stops at once. */
    previousSecretValidUntil: string | null;
  }
>;
export type ApplicationDeleted = Event<'ApplicationDeleted', { applicationId: string }>;

export type ApplicationEvent =
  | ApplicationCreated
  | ApplicationUpdated
  | ApplicationActivated
  | ApplicationDeactivated
  | ApplicationSecretRotated
  | ApplicationDeleted;

export interface ApplicationSecret {
  hash: string;
  /** null: valid until replaced. */
  validUntil: string | null;
}

export type ApplicationStatus = 'Active' | 'Inactive' | 'Deleted';

export type ApplicationState =
  | { status: 'Empty' }
  | (EditableApplicationFields & {
      status: ApplicationStatus;
      applicationId: string;
      clientId: string;
      ownerUserId: string | null;
      grants: Grant[];
      frontend: boolean;
      firstParty: boolean;
      /** Current secret first, then previous secrets still in their grace period. */
      secrets: ApplicationSecret[];
      createdAt: string;
      updatedAt: string;
    });

export type ExistingApplication = Exclude<ApplicationState, { status: 'Empty' }>;
