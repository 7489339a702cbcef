import type { CommandMetadata } from '../domain/shared/event.js';
import { schemaVersionFor } from '../domain/shared/schemaVersions.js';
import type { EventMetadata } from './eventStore.js';

/**
 * The one builder of stored event metadata (DESIGN §6): who (`actor`, `actorKind`), through
 * what (`via`), when, the request's correlation id, ip and user agent, and the schema version
 * of this event type's data from the one table (src/domain/shared/schemaVersions.ts). The
 * command handler, the token audit and the first start all write through it.
 */
export function toEventMetadata(eventType: string, m: CommandMetadata): EventMetadata {
  const metadata: EventMetadata = {
    actor: m.actor,
    actorKind: m.actorKind,
    occurredAt: m.now.toISOString(),
    correlationId: m.correlationId,
    schemaVersion: schemaVersionFor(eventType),
  };
  if (m.via !== undefined) metadata.via = m.via;
  if (m.causationId !== undefined) metadata.causationId = m.causationId;
  if (m.ip) metadata.ip = m.ip;
  if (m.userAgent) metadata.userAgent = m.userAgent;
  return metadata;
}
