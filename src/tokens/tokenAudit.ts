import type { AppendResult, EventMetadata, EventStore, NewEvent, RecordedEvent } from '../eventStore/eventStore.js';
import { toTokensStreamName } from '../domain/shared/streamNames.js';
import type { AuthorizationCodeGranted, TokenIssued, TokenRevoked } from '../domain/tokens/tokenEvents.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { toEventMetadata } from '../eventStore/eventMetadata.js';
import { clientMetadata, newEventId, type RequestInfo } from './requestInfo.js';
import { toRecordedEvents } from './recordedEvents.js';
import { compactTokenIssued } from '../eventStore/upcasters/tokenIssuedCompact.js';

/** Told of each token this process issued, once its TokenIssued is durable (the last-used feed); `previousSecret` as in TokenIssued. */
export type TokenIssuedListener = (applicationId: string, occurredAt: string, previousSecret?: number) => void;

/**
 * The audit trail of tokens: `TokenIssued` / `TokenRevoked` / `AuthorizationCodeGranted` on
 * `oauthTokens-<applicationId>`.
 * Appends use no expected revision (issuance never conflicts) and ride the store's group
 * commit. Each stream gets its retention (TOKEN_EVENT_RETENTION) once per process.
 * `TokenIssued` is written in its compact form (schema version 2, tokenIssuedCompact.ts);
 * readers get the full shape back through the upcaster. `onIssued` hears of this process's
 * tokens directly, so the last-used projection need not read them back from the store.
 */
export interface TokenAudit {
  issued(data: TokenIssued['data'], request: RequestInfo, now: Date): Promise<void>;
  revoked(
    client: { applicationId: string; clientId: string },
    revocations: { jti: string; exp?: number }[],
    reason: TokenRevoked['data']['reason'],
    request: RequestInfo,
    now: Date,
    /** authorizationCodeReplay: the replayed code's id. */
    codeId?: string,
  ): Promise<RecordedEvent[]>;
  /** An authorization code issued to the application (its record in the application's history). */
  codeGranted(data: AuthorizationCodeGranted['data'], metadata: CommandMetadata): Promise<void>;
}

export function createTokenAudit(options: {
  store: EventStore;
  retentionSeconds: number;
  onIssued?: TokenIssuedListener;
}): TokenAudit {
  const { store, retentionSeconds, onIssued } = options;
  const retentionSet = new Map<string, Promise<void>>();

  const ensureRetention = (streamName: string): Promise<void> => {
    let pending = retentionSet.get(streamName);
    if (!pending) {
      pending = store.setStreamMaxAge(streamName, retentionSeconds);
      retentionSet.set(streamName, pending);
      pending.catch(() => retentionSet.delete(streamName));
    }
    return pending;
  };

  const append = async (applicationId: string, events: NewEvent[]): Promise<{ streamName: string; result: AppendResult }> => {
    const streamName = toTokensStreamName(applicationId);
    const result = await store.appendToStream(streamName, events, { expectedRevision: 'any' });
    await ensureRetention(streamName);
    return { streamName, result };
  };

  return {
    async issued(data, request, now) {
      const metadata = toEventMetadata('TokenIssued', clientMetadata(data, request, now));
      const compact = compactTokenIssued(data, metadata);
      const event: NewEvent = {
        id: newEventId(),
        type: 'TokenIssued',
        data: compact.data,
        metadata: compact.metadata as unknown as EventMetadata,
      };
      // The hot path: nothing else to build once the append is durable.
      await append(data.applicationId, [event]);
      onIssued?.(data.applicationId, metadata.occurredAt, data.previousSecret);
    },
    async revoked(client, revocations, reason, request, now, codeId) {
      if (revocations.length === 0) return [];
      const { applicationId } = client;
      const metadata = toEventMetadata('TokenRevoked', clientMetadata(client, request, now, `application:${applicationId}`));
      const events: NewEvent[] = revocations.map(({ jti, exp }) => ({
        id: newEventId(),
        type: 'TokenRevoked',
        data: { jti, applicationId, reason, ...(exp !== undefined ? { exp } : {}), ...(codeId !== undefined ? { codeId } : {}) },
        metadata,
      }));
      const { streamName, result } = await append(applicationId, events);
      return toRecordedEvents(streamName, events, result);
    },
    async codeGranted(data, metadata) {
      await append(data.applicationId, [
        { id: newEventId(), type: 'AuthorizationCodeGranted', data, metadata: toEventMetadata('AuthorizationCodeGranted', metadata) },
      ]);
    },
  };
}
