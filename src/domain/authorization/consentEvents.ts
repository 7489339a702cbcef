import type { Event } from '../shared/event.js';

/**
 * A user's consents to authorization_code applications, one stream per user:
 * `oauthConsents-<userId>`. A consent is remembered until revoked; revoking it names the
 * refresh-token families issued through it, which end with it.
 */
export type ConsentGranted = Event<
  'ConsentGranted',
  {
    userId: string;
    applicationId: string;
    /** Every scope granted so far (a later, wider request adds to it). */
    scopes: string[];
    /** Granted without asking (a Skip User Consent application). */
    automatic: boolean;
  }
>;
export type ConsentTokensIssued = Event<'ConsentTokensIssued', { userId: string; applicationId: string; familyId: string }>;
export type ConsentRevoked = Event<'ConsentRevoked', { userId: string; applicationId: string; familyIds: string[] }>;

export type ConsentEvent = ConsentGranted | ConsentTokensIssued | ConsentRevoked;
