import { DomainError } from '../shared/domainError.js';
import type { Command, Decider } from '../shared/event.js';
import { ignoreUnknownEvent } from '../shared/unknownEvent.js';
import type { AuthorizationRequestEvent } from './authorizationRequestEvents.js';

/** A parked authorization request: open until taken once (see authorizationRequestEvents.ts). */
export type AuthorizationRequestState = { status: 'Open' } | { status: 'Taken' };
export type TakeAuthorizationRequest = Command<'TakeAuthorizationRequest', { requestId: string; applicationId: string }>;

export const authorizationRequestDecider: Decider<AuthorizationRequestState, TakeAuthorizationRequest, AuthorizationRequestEvent> = {
  decide(command, state) {
    if (state.status === 'Taken') throw new DomainError('ALREADY_EXISTS', 'the authorization request was already used');
    return [{ type: 'AuthorizationRequestTaken', data: { ...command.data } }];
  },
  evolve(state, event) {
    switch (event.type) {
      case 'AuthorizationRequestTaken':
        return { status: 'Taken' };
      default:
        return ignoreUnknownEvent(event.type, state);
    }
  },
  initialState: () => ({ status: 'Open' }),
};
