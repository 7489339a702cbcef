import type { EventMetadata } from '../eventStore/eventStore.js';

/** Where a token request came from, for the audit metadata of the events it causes. */
export interface RequestInfo {
  correlationId: string;
  ip?: string;
  userAgent?: string;
}

export function eventMetadata(actor: string, request: RequestInfo, now: Date): EventMetadata {
  const metadata: EventMetadata = { actor, occurredAt: now.toISOString(), correlationId: request.correlationId };
  if (request.ip) metadata.ip = request.ip;
  if (request.userAgent) metadata.userAgent = request.userAgent;
  return metadata;
}

export { newEventId } from '../security/ids.js';
