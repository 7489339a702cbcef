import type { RecordedEvent } from '../eventStore/eventStore.js';

/** One audit-trail entry: the event, who, when, from where — never a hash or secret. */
export interface HistoryEntry {
  position: number;
  stream: string;
  revision: number;
  type: string;
  data: unknown;
  actor: string;
  occurredAt: string;
  recordedAt: string;
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
}

const HIDDEN = /hash|secret|password/i;

/** Removes every key that names a hash, secret or password, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !HIDDEN.test(key))
      .map(([key, v]) => [key, withoutSecrets(v)]),
  );
}

export function toHistoryEntry(event: RecordedEvent): HistoryEntry {
  const data = withoutSecrets(event.data) as Record<string, unknown>;
  if (event.type === 'ApplicationSecretRotated') data.secretRotated = true;
  return {
    position: event.position,
    stream: event.streamName,
    revision: event.revision,
    type: event.type,
    data,
    actor: event.metadata.actor,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt,
    ip: event.metadata.ip ?? null,
    userAgent: event.metadata.userAgent ?? null,
    correlationId: event.metadata.correlationId,
  };
}
