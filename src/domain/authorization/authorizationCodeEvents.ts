import type { Event } from '../shared/event.js';

/**
 * Authorization codes (RFC 6749 §4.1), one stream per code: `authorizationCode-<hash>`.
 * Only the SHA-256 of the code is ever stored; the code itself leaves in the redirect once.
 */
export type AuthorizationCodeIssued = Event<
  'AuthorizationCodeIssued',
  {
    codeHash: string;
    applicationId: string;
    userId: string;
    /** The redirect URI the code was sent to. */
    redirectUri: string;
    /** Whether the authorization request named it (then the token request must repeat it). */
    redirectUriGiven: boolean;
    /** PKCE S256 code challenge (RFC 7636 §4.2). */
    codeChallenge: string;
    scope: string;
    /** When the user signed in (seconds since the epoch): the tokens' session start. */
    authTime: number;
    /** ISO time. */
    expiresAt: string;
  }
>;
export type AuthorizationCodeRedeemed = Event<
  'AuthorizationCodeRedeemed',
  { codeHash: string; applicationId: string; accessTokenJti: string; familyId: string | null }
>;
/** A second redemption: the tokens issued from the code are revoked (RFC 6749 §4.1.2). */
export type AuthorizationCodeReplayed = Event<
  'AuthorizationCodeReplayed',
  { codeHash: string; applicationId: string; accessTokenJti: string; familyId: string | null }
>;

export type AuthorizationCodeEvent = AuthorizationCodeIssued | AuthorizationCodeRedeemed | AuthorizationCodeReplayed;
