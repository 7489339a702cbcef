import { chainIncludes, chainToArray, emptyChain, prepend, type Chain } from '../shared/chain.js';
import { DomainError } from '../shared/domainError.js';
import { assertNever, type Command, type Decider } from '../shared/event.js';
import { occurredAtOf, type MaybeTimed } from '../shared/eventTime.js';
import { ignoreUnknownEvent } from '../shared/unknownEvent.js';
import type {
  RefreshTokenFamilyEvent,
  RefreshTokenFamilyRevoked,
} from './tokenEvents.js';

/**
 * A refresh token family (stream `refreshTokenFamily-<id>`): one password-grant login and
 * every refresh token rotated from it. Only token hashes are held. Presenting a token that
 * was already rotated is reuse: the whole family is revoked with the access tokens it issued.
 * Appends use the stream's expected revision, so of two racing rotations of one token exactly
 * one wins; the loser re-decides, finds its token already rotated, and revokes the family.
 */
export type RefreshTokenFamilyState =
  | { status: 'Empty' }
  | {
      status: 'Active' | 'Revoked';
      familyId: string;
      applicationId: string;
      userId: string;
      scope: string;
      aud: string[];
      currentTokenHash: string;
      /** ISO expiry of the current token. */
      expiresAt: string;
      /** When the session started (seconds, `auth_time`); a later credential change ends it. */
      authTime: number;
      /** Hashes of tokens already rotated away, newest first; presenting one is reuse. */
      usedTokenHashes: Chain<string>;
      /** Access tokens issued from this family, newest first (revoked with it). */
      accessTokenJtis: Chain<string>;
      revokedReason?: RefreshTokenFamilyRevoked['data']['reason'];
    };

export type IssueRefreshToken = Command<
  'IssueRefreshToken',
  {
    familyId: string;
    applicationId: string;
    userId: string;
    tokenHash: string;
    scope: string;
    aud: string[];
    expiresAt: string;
    accessTokenJti: string;
    /** Seconds since the epoch: the sign-in's `auth_time` (userSessions.ts). */
    authTime?: number;
  }
>;
export type RotateRefreshToken = Command<
  'RotateRefreshToken',
  {
    familyId: string;
    /** The application presenting the token (a family is bound to its client). */
    applicationId: string;
    presentedTokenHash: string;
    tokenHash: string;
    expiresAt: string;
    accessTokenJti: string;
  }
>;
export type RevokeRefreshTokenFamily = Command<
  'RevokeRefreshTokenFamily',
  { familyId: string; reason: RefreshTokenFamilyRevoked['data']['reason'] }
>;
export type RefreshTokenFamilyCommand = IssueRefreshToken | RotateRefreshToken | RevokeRefreshTokenFamily;

export const initialState = (): RefreshTokenFamilyState => ({ status: 'Empty' });

export function decide(
  command: RefreshTokenFamilyCommand,
  state: RefreshTokenFamilyState,
): RefreshTokenFamilyEvent[] {
  switch (command.type) {
    case 'IssueRefreshToken':
      if (state.status !== 'Empty') throw new DomainError('ALREADY_EXISTS', 'refresh token family exists');
      return [{ type: 'RefreshTokenIssued', data: { ...command.data } }];
    case 'RotateRefreshToken': {
      if (state.status === 'Empty') throw new DomainError('NOT_FOUND', 'unknown refresh token');
      if (state.status === 'Revoked') throw new DomainError('ILLEGAL_STATE', 'refresh token family revoked');
      const { data } = command;
      if (data.applicationId !== state.applicationId) {
        throw new DomainError('FORBIDDEN', 'refresh token was issued to another client');
      }
      if (chainIncludes(state.usedTokenHashes, data.presentedTokenHash)) {
        return [revoked(state.familyId, 'reuse', state.accessTokenJtis)];
      }
      if (data.presentedTokenHash !== state.currentTokenHash) {
        throw new DomainError('NOT_FOUND', 'unknown refresh token');
      }
      if (command.metadata.now.getTime() >= Date.parse(state.expiresAt)) {
        throw new DomainError('ILLEGAL_STATE', 'refresh token expired');
      }
      return [
        {
          type: 'RefreshTokenRotated',
          data: {
            familyId: state.familyId,
            previousTokenHash: state.currentTokenHash,
            tokenHash: data.tokenHash,
            expiresAt: data.expiresAt,
            accessTokenJti: data.accessTokenJti,
          },
        },
      ];
    }
    case 'RevokeRefreshTokenFamily':
      if (state.status === 'Empty') throw new DomainError('NOT_FOUND', 'unknown refresh token');
      if (state.status === 'Revoked') return [];
      return [revoked(state.familyId, command.data.reason, state.accessTokenJtis)];
    default:
      return assertNever(command);
  }
}

const revoked = (
  familyId: string,
  reason: RefreshTokenFamilyRevoked['data']['reason'],
  accessTokenJtis: Chain<string>,
): RefreshTokenFamilyRevoked => ({
  type: 'RefreshTokenFamilyRevoked',
  data: { familyId, reason, accessTokenJtis: chainToArray(accessTokenJtis) },
});

const secondsOf = (iso: string | undefined): number => (iso === undefined ? 0 : Date.parse(iso) / 1000);

export function evolve(state: RefreshTokenFamilyState, event: RefreshTokenFamilyEvent & MaybeTimed): RefreshTokenFamilyState {
  switch (event.type) {
    case 'RefreshTokenIssued': {
      const d = event.data;
      const authTime = d.authTime ?? secondsOf(occurredAtOf(event));
      return {
        status: 'Active',
        familyId: d.familyId,
        applicationId: d.applicationId,
        userId: d.userId,
        scope: d.scope,
        aud: [...d.aud],
        currentTokenHash: d.tokenHash,
        expiresAt: d.expiresAt,
        authTime,
        usedTokenHashes: emptyChain,
        accessTokenJtis: prepend<string>(emptyChain, d.accessTokenJti),
      };
    }
    case 'RefreshTokenRotated':
      if (state.status === 'Empty') return state;
      return {
        ...state,
        currentTokenHash: event.data.tokenHash,
        expiresAt: event.data.expiresAt,
        usedTokenHashes: prepend(state.usedTokenHashes, event.data.previousTokenHash),
        accessTokenJtis: prepend(state.accessTokenJtis, event.data.accessTokenJti),
      };
    case 'RefreshTokenFamilyRevoked':
      if (state.status === 'Empty') return state;
      return { ...state, status: 'Revoked', revokedReason: event.data.reason };
    default:
      return ignoreUnknownEvent(event, state);
  }
}

export const refreshTokenFamilyDecider: Decider<
  RefreshTokenFamilyState,
  RefreshTokenFamilyCommand,
  RefreshTokenFamilyEvent
> = { decide, evolve, initialState };
