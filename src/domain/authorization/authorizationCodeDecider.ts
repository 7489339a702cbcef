import { DomainError } from '../shared/domainError.js';
import { assertNever, type Command, type Decider } from '../shared/event.js';
import { ignoreUnknownEvent } from '../shared/unknownEvent.js';
import { sameString } from '../shared/sameString.js';
import type { AuthorizationCodeEvent, AuthorizationCodeIssued } from './authorizationCodeEvents.js';

/**
 * An authorization code's life: issued, then redeemed once. Appends use the stream's expected
 * revision, so of two redemptions racing on any nodes exactly one is recorded; the other is
 * decided again, finds the code redeemed and records a replay, which revokes the tokens.
 * Errors are DomainErrors without events (the token endpoint answers invalid_grant): a wrong
 * verifier or redirect URI does not burn the code for its rightful client.
 */
export type AuthorizationCodeState =
  | { status: 'Empty' }
  | (AuthorizationCodeIssued['data'] & {
      status: 'Issued' | 'Redeemed';
      accessTokenJti?: string;
      familyId?: string | null;
    });

export type IssueAuthorizationCode = Command<'IssueAuthorizationCode', AuthorizationCodeIssued['data']>;
export type RedeemAuthorizationCode = Command<
  'RedeemAuthorizationCode',
  {
    codeHash: string;
    /** The authenticated client's application. */
    applicationId: string;
    /** redirect_uri of the token request, when sent. */
    redirectUri: string | undefined;
    /** BASE64URL(SHA-256(code_verifier)), computed by the caller. */
    verifierChallenge: string;
    accessTokenJti: string;
    familyId: string | null;
  }
>;
export type AuthorizationCodeCommand = IssueAuthorizationCode | RedeemAuthorizationCode;

export const initialAuthorizationCodeState = (): AuthorizationCodeState => ({ status: 'Empty' });

const refused = (message: string): DomainError => new DomainError('ILLEGAL_STATE', message);

export function decideAuthorizationCode(command: AuthorizationCodeCommand, state: AuthorizationCodeState): AuthorizationCodeEvent[] {
  switch (command.type) {
    case 'IssueAuthorizationCode':
      if (state.status !== 'Empty') throw new DomainError('ALREADY_EXISTS', 'authorization code exists');
      return [{ type: 'AuthorizationCodeIssued', data: { ...command.data } }];
    case 'RedeemAuthorizationCode': {
      const d = command.data;
      if (state.status === 'Empty') throw new DomainError('NOT_FOUND', 'unknown authorization code');
      if (state.applicationId !== d.applicationId) throw refused('the code was issued to another client');
      if (state.status === 'Redeemed') {
        return [{
          type: 'AuthorizationCodeReplayed',
          data: { codeHash: state.codeHash, applicationId: state.applicationId, accessTokenJti: state.accessTokenJti!, familyId: state.familyId ?? null },
        }];
      }
      if (command.metadata.now.getTime() >= Date.parse(state.expiresAt)) throw refused('the code has expired');
      // RFC 6749 §4.1.3: required when the authorization request had it, and then identical.
      if (state.redirectUriGiven ? d.redirectUri !== state.redirectUri : d.redirectUri !== undefined && d.redirectUri !== state.redirectUri) {
        throw refused('redirect_uri does not match the authorization request');
      }
      if (!sameString(d.verifierChallenge, state.codeChallenge)) throw refused('code_verifier does not match the code challenge');
      return [{
        type: 'AuthorizationCodeRedeemed',
        data: { codeHash: state.codeHash, applicationId: state.applicationId, accessTokenJti: d.accessTokenJti, familyId: d.familyId },
      }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveAuthorizationCode(state: AuthorizationCodeState, event: AuthorizationCodeEvent): AuthorizationCodeState {
  switch (event.type) {
    case 'AuthorizationCodeIssued':
      return { ...event.data, status: 'Issued' };
    case 'AuthorizationCodeRedeemed':
      if (state.status === 'Empty') return state;
      return { ...state, status: 'Redeemed', accessTokenJti: event.data.accessTokenJti, familyId: event.data.familyId };
    case 'AuthorizationCodeReplayed':
      return state;
    default:
      return ignoreUnknownEvent(event, state);
  }
}

export const authorizationCodeDecider: Decider<AuthorizationCodeState, AuthorizationCodeCommand, AuthorizationCodeEvent> = {
  decide: decideAuthorizationCode,
  evolve: evolveAuthorizationCode,
  initialState: initialAuthorizationCodeState,
};
