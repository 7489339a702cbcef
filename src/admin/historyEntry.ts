import type { RecordedEvent } from '../eventStore/eventStore.js';

/** One audit-trail entry: the event, who, when, from where — never a hash or secret. */
export interface HistoryEntry {
  position: number;
  stream: string;
  revision: number;
  type: string;
  data: unknown;
  actor: string;
  /** null on events written before the second release. */
  actorKind: 'user' | 'client' | 'system' | null;
  via: string | null;
  occurredAt: string;
  recordedAt: string;
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
}

// Keys holding a hash, a secret or a password. Not every key mentioning a secret holds one:
// `previousSecretValidUntil` is a time and stays, so the history shows which secrets were valid when.
const HIDDEN = /hash|password|^(client)?secrets?$|token$/i;
// Stored hash formats (src/security): hidden whatever key they sit under.
const HASH_VALUE = /^(sha256|scrypt)\$/;

/** Removes every key that holds a hash, secret or password, and every hash value, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => !isHashValue(v)).map(withoutSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !HIDDEN.test(key) && !isHashValue(v))
      .map(([key, v]) => [key, withoutSecrets(v)]),
  );
}

const isHashValue = (value: unknown): boolean => typeof value === 'string' && HASH_VALUE.test(value);

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
    actorKind: event.metadata.actorKind ?? null,
    via: event.metadata.via ?? null,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt,
    ip: event.metadata.ip ?? null,
    userAgent: event.metadata.userAgent ?? null,
    correlationId: event.metadata.correlationId,
  };
}
