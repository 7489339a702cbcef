import type { Event } from '../shared/event.js';
import type { Grant } from '../application/applicationEvents.js';

export type TokenIssued = Event<
  'TokenIssued',
  {
    jti: string;
    applicationId: string;
    clientId: string;
    grant: Grant;
    sub: string;
    aud: string[];
    scope: string;
    /** Expiry, seconds since the epoch (as in the JWT). */
    exp: number;
    /** Refresh token family that produced it, when any. */
    familyId?: string;
    /** authorization_code: the redeemed code's id (codeIdOf, authorizationCodes.ts), so the history reads "code → token". */
    codeId?: string;
    /**
     * Which secret the client authenticated with, when it was not the current one: 1 = the
     * previous secret (still in its rotation grace period), 2 = the one before, …. Absent: the
     * current secret, a public client, or a token written before this field existed (an
     * additive optional field of schema version 2: every v2 reader reads both).
     */
    previousSecret?: number;
  }
>;
export type TokenRevoked = Event<
  'TokenRevoked',
  {
    jti: string;
    applicationId: string;
    reason: 'revocation' | 'refreshTokenReuse' | 'familyRevoked' | 'authorizationCodeReplay';
    /** Expiry of the revoked token (seconds since the epoch) when known: revocations are forgotten after it. */
    exp?: number;
    /** authorizationCodeReplay: the replayed code's id. */
    codeId?: string;
  }
>;
/**
 * An authorization code was issued to the application for a user: the application-scoped
 * record of what `authorizationCode-<hash>` (the single-use guard) holds, written after it and
 * before the code leaves in the redirect (authorizationCodes.ts). Never the code, its hash or
 * the PKCE challenge: `codeId` is a 12-character prefix of the code's hash, enough to tie the
 * code to the token its redemption issued (TokenIssued.codeId) and nothing to redeem it with.
 */
export type AuthorizationCodeGranted = Event<
  'AuthorizationCodeGranted',
  {
    codeId: string;
    applicationId: string;
    userId: string;
    redirectUri: string;
    scope: string;
    codeChallengeMethod: 'S256';
    /** ISO time. */
    expiresAt: string;
  }
>;
export type TokenEvent = TokenIssued | TokenRevoked | AuthorizationCodeGranted;

export type RefreshTokenIssued = Event<
  'RefreshTokenIssued',
  {
    familyId: string;
    applicationId: string;
    userId: string;
    tokenHash: string;
    scope: string;
    aud: string[];
    /** ISO time. */
    expiresAt: string;
    accessTokenJti: string;
    /**
     * The password sign-in that started the family (seconds since the epoch with milliseconds,
     * the tokens' `auth_time`); absent in first-release families, which are dated by the event's time.
     */
    authTime?: number;
  }
>;
export type RefreshTokenRotated = Event<
  'RefreshTokenRotated',
  {
    familyId: string;
    previousTokenHash: string;
    tokenHash: string;
    expiresAt: string;
    accessTokenJti: string;
  }
>;
export type RefreshTokenFamilyRevoked = Event<
  'RefreshTokenFamilyRevoked',
  {
    familyId: string;
    reason: 'reuse' | 'revocation' | 'applicationDeactivated' | 'userDisabled';
    /** Access tokens issued from this family, revoked with it. */
    accessTokenJtis: string[];
  }
>;
export type RefreshTokenFamilyEvent =
  | RefreshTokenIssued
  | RefreshTokenRotated
  | RefreshTokenFamilyRevoked;
