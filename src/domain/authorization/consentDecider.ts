import { DomainError } from '../shared/domainError.js';
import { assertNever, type Command, type Decider } from '../shared/event.js';
import { occurredAtOf, type MaybeTimed } from '../shared/eventTime.js';
import { ignoreUnknownEvent } from '../shared/unknownEvent.js';
import type { ConsentEvent } from './consentEvents.js';

export interface Consent {
  applicationId: string;
  scopes: string[];
  automatic: boolean;
  /** ISO time of the first grant (since the last revocation). */
  grantedAt: string;
  familyIds: string[];
}

export interface ConsentState {
  consents: Readonly<Record<string, Consent>>;
}

export type GrantConsent = Command<'GrantConsent', { userId: string; applicationId: string; scopes: string[]; automatic: boolean }>;
export type RecordConsentTokens = Command<'RecordConsentTokens', { userId: string; applicationId: string; familyId: string }>;
export type RevokeConsent = Command<'RevokeConsent', { userId: string; applicationId: string }>;
export type ConsentCommand = GrantConsent | RecordConsentTokens | RevokeConsent;

export const initialConsentState = (): ConsentState => ({ consents: {} });

/** Whether the consent already covers every scope asked for. */
export const consentCovers = (state: ConsentState, applicationId: string, scopes: readonly string[]): boolean => {
  const consent = state.consents[applicationId];
  return consent !== undefined && scopes.every((s) => consent.scopes.includes(s));
};

export function decideConsent(command: ConsentCommand, state: ConsentState): ConsentEvent[] {
  const { userId, applicationId } = command.data;
  const consent = state.consents[applicationId];
  switch (command.type) {
    case 'GrantConsent': {
      if (consentCovers(state, applicationId, command.data.scopes)) return [];
      const scopes = [...new Set([...(consent?.scopes ?? []), ...command.data.scopes])];
      return [{ type: 'ConsentGranted', data: { userId, applicationId, scopes, automatic: command.data.automatic } }];
    }
    case 'RecordConsentTokens':
      // Revoked between the code and its redemption: no tokens through a revoked consent.
      if (!consent) throw new DomainError('NOT_FOUND', 'no consent for this application');
      return [{ type: 'ConsentTokensIssued', data: { userId, applicationId, familyId: command.data.familyId } }];
    case 'RevokeConsent':
      if (!consent) throw new DomainError('NOT_FOUND', 'no consent for this application');
      return [{ type: 'ConsentRevoked', data: { userId, applicationId, familyIds: [...consent.familyIds] } }];
    default:
      return assertNever(command);
  }
}

export function evolveConsent(state: ConsentState, event: ConsentEvent & MaybeTimed): ConsentState {
  const { applicationId } = event.data;
  const consent = state.consents[applicationId];
  switch (event.type) {
    case 'ConsentGranted':
      return {
        consents: {
          ...state.consents,
          [applicationId]: {
            applicationId,
            scopes: [...event.data.scopes],
            automatic: event.data.automatic,
            grantedAt: consent?.grantedAt ?? occurredAtOf(event) ?? '',
            familyIds: consent?.familyIds ?? [],
          },
        },
      };
    case 'ConsentTokensIssued':
      if (!consent) return state;
      return { consents: { ...state.consents, [applicationId]: { ...consent, familyIds: [...consent.familyIds, event.data.familyId] } } };
    case 'ConsentRevoked': {
      const { [applicationId]: _gone, ...rest } = state.consents;
      return { consents: rest };
    }
    default:
      return ignoreUnknownEvent(event, state);
  }
}

export const consentDecider: Decider<ConsentState, ConsentCommand, ConsentEvent> = {
  decide: decideConsent,
  evolve: evolveConsent,
  initialState: initialConsentState,
};
