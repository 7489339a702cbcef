/**
 * Builds recorded events for projection tests (given/then), with per-stream revisions and
 * global positions as a store would assign them, and appends the same history to a real
 * event store for runner tests.
 */
import type { Grant } from '../../../src/domain/application/applicationEvents.js';
import {
  toApplicationStreamName,
  toOrganizationStreamName,
  toTokensStreamName,
  toUserStreamName,
} from '../../../src/domain/shared/streamNames.js';
import type { EventStore, NewEvent, RecordedEvent } from '../../../src/eventStore/eventStore.js';

let seq = 0;
const nextId = (): string => `evt-${(seq += 1)}-${Math.random().toString(36).slice(2, 8)}`;

export const at = (minute: number): string => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();

export interface Pending {
  streamName: string;
  event: NewEvent;
}

export class EventLog {
  readonly pending: Pending[] = [];
  private minute = 0;

  add(streamName: string, type: string, data: object, occurredAt = at((this.minute += 1))): this {
    this.pending.push({
      streamName,
      event: { id: nextId(), type, data, metadata: { actor: 'test', occurredAt, correlationId: 'c' } },
    });
    return this;
  }

  organization(id: string, name = `Org ${id}`, globalAccess = false): this {
    return this.add(toOrganizationStreamName(id), 'OrganizationCreated', { organizationId: id, name, globalAccess });
  }

  renameOrganization(id: string, name: string, previousName: string): this {
    return this.add(toOrganizationStreamName(id), 'OrganizationRenamed', { organizationId: id, name, previousName });
  }

  user(id: string, organizationIds: string[], username = `user-${id}`): this {
    return this.add(toUserStreamName(id), 'UserRegistered', {
      userId: id,
      kind: 'backOffice',
      username,
      email: `${username}@example.test`,
      locale: 'en',
      roles: ['user'],
      organizationIds,
      passwordHash: 'scrypt$not-a-real-hash',
    });
  }

  application(
    id: string,
    fields: { name?: string; organizationId: string; ownerUserId?: string | null; active?: boolean; grants?: Grant[]; frontend?: boolean },
    occurredAt?: string,
  ): this {
    return this.add(
      toApplicationStreamName(id),
      'ApplicationCreated',
      {
        applicationId: id,
        clientId: `client-${id}`,
        secretHash: 'sha256$hash',
        name: fields.name ?? `App ${id}`,
        organizationId: fields.organizationId,
        ownerUserId: fields.ownerUserId ?? null,
        active: fields.active ?? true,
        grants: fields.grants ?? ['client_credentials'],
        frontend: fields.frontend ?? false,
        allApis: true,
        apis: [],
        scopes: [],
        applicationUrl: null,
        description: null,
      },
      occurredAt,
    );
  }

  applicationEvent(id: string, type: string, data: object = {}): this {
    return this.add(toApplicationStreamName(id), type, { applicationId: id, ...data });
  }

  token(applicationId: string, occurredAt: string): this {
    return this.add(
      toTokensStreamName(applicationId),
      'TokenIssued',
      {
        jti: nextId(),
        applicationId,
        clientId: `client-${applicationId}`,
        grant: 'client_credentials',
        sub: 'u',
        aud: [],
        scope: '',
        exp: 0,
      },
      occurredAt,
    );
  }

  /** The history as a store would record it (positions from 1). */
  recorded(): RecordedEvent[] {
    const revisions = new Map<string, number>();
    return this.pending.map(({ streamName, event }, i) => {
      const revision = (revisions.get(streamName) ?? -1) + 1;
      revisions.set(streamName, revision);
      return { ...event, streamName, revision, position: i + 1, recordedAt: event.metadata.occurredAt };
    });
  }

  /** Appends the pending events to a real store, in order; returns the last position. */
  async appendTo(store: EventStore): Promise<number> {
    let position = 0;
    for (const { streamName, event } of this.pending.splice(0)) {
      position = (await store.appendToStream(streamName, [event])).position;
    }
    return position;
  }
}
