import type { CommandMetadata } from '../domain/shared/event.js';

/** Where a token request came from, for the audit metadata of the events it causes. */
export interface RequestInfo {
  correlationId: string;
  ip?: string;
  userAgent?: string;
}

/**
 * Metadata of what the token endpoints record: the authenticated client acts
 * (`actorKind: 'client'`), through itself (`via` = its client id). `actor` keeps the
 * first release's spelling (`client:<clientId>`, or `application:<id>` for revocations).
 */
export function clientMetadata(
  client: { clientId: string },
  request: RequestInfo,
  now: Date,
  actor = `client:${client.clientId}`,
): CommandMetadata {
  const metadata: CommandMetadata = { actor, actorKind: 'client', via: client.clientId, now, correlationId: request.correlationId };
  if (request.ip) metadata.ip = request.ip;
  if (request.userAgent) metadata.userAgent = request.userAgent;
  return metadata;
}

/**
 * Metadata of what a signed-in user does through the console outside a Koa context (sign-in,
 * sign-out, consent, authorization codes): the user acts (`actorKind: 'user'`), `via: 'console'`
 * (a storefront user at the authorization endpoint: `via` the application's client id).
 */
export function consoleUserMetadata(userId: string, request: RequestInfo, now: Date, via = 'console'): CommandMetadata {
  const metadata: CommandMetadata = { actor: userId, actorKind: 'user', via, now, correlationId: request.correlationId };
  if (request.ip) metadata.ip = request.ip;
  if (request.userAgent) metadata.userAgent = request.userAgent;
  return metadata;
}

export { newEventId } from '../security/ids.js';
