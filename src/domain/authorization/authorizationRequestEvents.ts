import type { Event } from '../shared/event.js';

/**
 * A parked authorization request (GET /oauth2-token/authorize) is carried by the browser as
 * a signed token (src/tokens/authorize/pendingAuthorizations.ts) and taken once — by Grant,
 * Cancel, an automatic approval or a refusal — by appending this to
 * `authorizationRequest-<requestId>` with no stream expected: on any node, a second take of
 * the same request finds the stream and fails.
 */
export type AuthorizationRequestTaken = Event<'AuthorizationRequestTaken', { requestId: string; applicationId: string }>;

export type AuthorizationRequestEvent = AuthorizationRequestTaken;
