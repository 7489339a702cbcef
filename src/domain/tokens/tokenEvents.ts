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
  }
>;
export type TokenEvent = TokenIssued | TokenRevoked;

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
