import type { EventStore, RecordedEvent } from '../eventStore/eventStore.js';
import type { ApplicationEvent, ExistingApplication } from '../domain/application/applicationEvents.js';
import { evolveApplication, initialApplicationState } from '../domain/application/applicationDecider.js';
import type { UserEvent } from '../domain/user/userEvents.js';
import { evolveUser, initialUserState, type RegisteredUser } from '../domain/user/userDecider.js';
import { toUsernameKey } from '../domain/user/usernameKey.js';
import type { OrganizationEvent, OrganizationState } from '../domain/organization/organizationEvents.js';
import { evolveOrganization, initialOrganizationState } from '../domain/organization/organizationDecider.js';
import type { RefreshTokenFamilyRevoked, TokenRevoked } from '../domain/tokens/tokenEvents.js';
import type { AuthorizationCodeReplayed } from '../domain/authorization/authorizationCodeEvents.js';
import { idFromStreamName, streamPrefixes } from '../domain/shared/streamNames.js';
import { createStoreFollower, type StoreFollower } from './cache/storeFollower.js';
import { createRevokedTokens } from './cache/revokedTokens.js';
import { CACHED_AGGREGATE_EVENT_TYPES } from './cache/cachedEventTypes.js';

/**
 * The token path's view of the world (DESIGN §2 "Token path"): application, user and
 * organization state folded with the domain `evolve` functions from the event subscription,
 * plus the set of revoked access-token ids. Never the read model.
 *
 * - A client id or username not found triggers a catch-up read to the store's head before
 *   the answer, so an application created on another node a moment ago is found.
 * - `applyAppended` folds events this node just wrote, so a deactivation is in force on this
 *   node before the HTTP request that made it returns.
 * Per stream, events are folded strictly in revision order; a gap is filled from the stream.
 */
export type ExistingOrganization = Exclude<OrganizationState, { status: 'Empty' }>;

export interface StateCache {
  /** Resolves once both followers have caught up with the store. */
  start(): Promise<void>;
  /** True once start() has caught up (readiness); stays true while the followers run. */
  readonly caughtUpOnce: boolean;
  stop(): Promise<void>;
  /** Reads everything committed and not yet seen. */
  catchUp(): Promise<void>;
  applyAppended(events: readonly RecordedEvent[]): Promise<void>;
  application(applicationId: string): ExistingApplication | undefined;
  applicationByClientId(clientId: string): ExistingApplication | undefined;
  /** As applicationByClientId, catching up with the store on a miss. */
  findApplicationByClientId(clientId: string): Promise<ExistingApplication | undefined>;
  user(userId: string): RegisteredUser | undefined;
  /**
   * As user by name, catching up with the store on a miss; `fresh`: catching up first, found
   * or not (the password grant: an unknown name then costs what a known one costs).
   */
  findUserByUsername(username: string, options?: { fresh?: boolean }): Promise<RegisteredUser | undefined>;
  organization(organizationId: string): ExistingOrganization | undefined;
  isRevoked(jti: string): boolean;
  /**
   * A refresh-token family issued from an authorization code that was replayed: refused even
   * if its RefreshTokenFamilyRevoked was never written (a crash right after the replay).
   */
  isFamilyRevoked(familyId: string): boolean;
  readonly position: number;
}

export interface StateCacheOptions {
  store: EventStore;
  /** Upper bound of an access token's life, to forget revocations of expired tokens. */
  accessTokenTtlSeconds: number;
  /** Upper bound of a refresh token's life (default 30 days), to forget replayed codes' families. */
  refreshTokenTtlSeconds?: number;
  now?: () => Date;
  onError?: (error: Error) => void;
}

const AGGREGATE_PREFIXES = [streamPrefixes.application, streamPrefixes.user, streamPrefixes.organization];

export function createStateCache(options: StateCacheOptions): StateCache {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const applications = new Map<string, ExistingApplication>();
  const clientIds = new Map<string, string>();
  const users = new Map<string, RegisteredUser>();
  const usernames = new Map<string, string>();
  const organizations = new Map<string, ExistingOrganization>();
  const revisions = new Map<string, number>();
  const revoked = createRevokedTokens(now);
  const revokedFamilies = createRevokedTokens(now);
  const refreshTtl = options.refreshTokenTtlSeconds ?? 30 * 24 * 3600;

  const fold = (event: RecordedEvent): void => {
    const id = idFromStreamName(event.streamName);
    if (event.streamName.startsWith(streamPrefixes.application)) {
      const next = evolveApplication(applications.get(id) ?? initialApplicationState(), event as unknown as ApplicationEvent);
      if (next.status !== 'Empty') {
        applications.set(id, next);
        clientIds.set(next.clientId, id);
      }
    } else if (event.streamName.startsWith(streamPrefixes.user)) {
      const next = evolveUser(users.get(id) ?? initialUserState(), event as unknown as UserEvent);
      if (next.status !== 'Empty') {
        users.set(id, next);
        usernames.set(toUsernameKey(next.username), id);
      }
    } else if (event.streamName.startsWith(streamPrefixes.organization)) {
      const next = evolveOrganization(organizations.get(id) ?? initialOrganizationState(), event as unknown as OrganizationEvent);
      if (next.status !== 'Empty') organizations.set(id, next);
    }
  };

  const foldInOrder = (event: RecordedEvent): boolean => {
    const last = revisions.get(event.streamName) ?? -1;
    if (event.revision <= last) return true;
    if (event.revision > last + 1) return false;
    fold(event);
    revisions.set(event.streamName, event.revision);
    return true;
  };

  const fillGap = async (streamName: string): Promise<void> => {
    const from = (revisions.get(streamName) ?? -1) + 1;
    for (const event of await store.readStream(streamName, { fromRevision: from })) foldInOrder(event);
  };

  const revocationExpiry = (event: RecordedEvent, exp: number | undefined): number =>
    exp ?? Date.parse(event.recordedAt) / 1000 + options.accessTokenTtlSeconds;

  const applyAggregate = async (event: RecordedEvent): Promise<void> => {
    if (foldInOrder(event)) return;
    await fillGap(event.streamName);
    foldInOrder(event);
  };

  const applyRevocation = (event: RecordedEvent): void => {
    if (event.type === 'TokenRevoked') {
      const data = event.data as TokenRevoked['data'] & { exp?: number };
      revoked.add(data.jti, revocationExpiry(event, data.exp));
    } else if (event.type === 'RefreshTokenFamilyRevoked') {
      const data = event.data as RefreshTokenFamilyRevoked['data'];
      for (const jti of data.accessTokenJtis) revoked.add(jti, revocationExpiry(event, undefined));
    } else if (event.type === 'AuthorizationCodeReplayed') {
      // The code stream's durable record of a replay revokes what the code issued, on every
      // node and after a restart, whether or not the TokenRevoked that follows it was written.
      const data = event.data as AuthorizationCodeReplayed['data'];
      revoked.add(data.accessTokenJti, revocationExpiry(event, undefined));
      if (data.familyId !== null) revokedFamilies.add(data.familyId, Date.parse(event.recordedAt) / 1000 + refreshTtl);
    }
  };

  const isAggregate = (streamName: string): boolean => AGGREGATE_PREFIXES.some((p) => streamName.startsWith(p));

  const aggregates: StoreFollower = createStoreFollower({
    store,
    filter: { streamPrefixes: AGGREGATE_PREFIXES, eventTypes: [...CACHED_AGGREGATE_EVENT_TYPES] },
    apply: applyAggregate,
    onError: options.onError,
  });
  const revocations: StoreFollower = createStoreFollower({
    store,
    filter: {
      streamPrefixes: [streamPrefixes.tokens, streamPrefixes.refreshTokenFamily, streamPrefixes.authorizationCode],
      eventTypes: ['TokenRevoked', 'RefreshTokenFamilyRevoked', 'AuthorizationCodeReplayed'],
    },
    apply: applyRevocation,
    onError: options.onError,
  });

  const applicationByClientId = (clientId: string): ExistingApplication | undefined => {
    const id = clientIds.get(clientId);
    return id === undefined ? undefined : applications.get(id);
  };
  const userByUsername = (username: string): RegisteredUser | undefined => {
    const id = usernames.get(toUsernameKey(username));
    return id === undefined ? undefined : users.get(id);
  };

  let caughtUpOnce = false;
  return {
    async start() {
      // Commits by other processes sharing a SQLite file arrive through the store's own
      // live polling; EventStoreDB subscriptions deliver them anyway.
      await Promise.all([aggregates.start(), revocations.start()]);
      caughtUpOnce = true;
    },
    get caughtUpOnce() {
      return caughtUpOnce;
    },
    async stop() {
      await Promise.all([aggregates.stop(), revocations.stop()]);
    },
    async catchUp() {
      await Promise.all([aggregates.catchUp(), revocations.catchUp()]);
    },
    async applyAppended(events) {
      for (const event of events) {
        if (isAggregate(event.streamName)) await applyAggregate(event);
        else applyRevocation(event);
      }
    },
    application: (id) => applications.get(id),
    applicationByClientId,
    async findApplicationByClientId(clientId) {
      const found = applicationByClientId(clientId);
      if (found) return found;
      await aggregates.catchUp();
      return applicationByClientId(clientId);
    },
    user: (id) => users.get(id),
    async findUserByUsername(username, options) {
      if (options?.fresh) {
        await aggregates.catchUp();
        return userByUsername(username);
      }
      const found = userByUsername(username);
      if (found) return found;
      await aggregates.catchUp();
      return userByUsername(username);
    },
    organization: (id) => organizations.get(id),
    isRevoked: (jti) => revoked.has(jti),
    isFamilyRevoked: (familyId) => revokedFamilies.has(familyId),
    get position() {
      return aggregates.position;
    },
  };
}
