import { toApplicationStreamName, toUserStreamName } from '../domain/shared/streamNames.js';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore.js';
import { eventTimeOf } from '../eventStore/findRevisionAtTime.js';
import { createTimelineCache, nameAt, readNameTimeline } from './nameTimeline.js';

export type ActorKind = 'user' | 'client' | 'system';
export type Via = { clientId: string; applicationName: string | null } | 'console';

/** Who acted, in words: added to every history entry. */
export interface ActorDescription {
  actorKind: ActorKind;
  /** The username as it was when the event happened (for a client, its application's name then). */
  actorName: string | null;
  /** The client the request came through, or the console; null when the event does not say. */
  via: Via | null;
}

/** Finds the application of a client id (deleted ones included); null when unknown. */
export type ClientDirectory = (clientId: string) => Promise<string | null>;

const SYSTEM_ACTORS = new Set(['system', 'bootstrap']);
const CLIENT_ACTOR = 'client:';
const APPLICATION_ACTOR = 'application:';

/**
 * The actor kind as written by newer writers (`metadata.actorKind`), else derived from the
 * actor: older events carry only the actor (`client:<id>` for token issuance,
 * `application:<id>` and `system` for what the service did by itself, a user id otherwise).
 */
export function actorKindOf(event: RecordedEvent): ActorKind {
  const written = (event.metadata as { actorKind?: unknown }).actorKind;
  if (written === 'user' || written === 'client' || written === 'system') return written;
  const actor = event.metadata.actor;
  if (actor.startsWith(CLIENT_ACTOR)) return 'client';
  if (SYSTEM_ACTORS.has(actor) || actor.startsWith(APPLICATION_ACTOR)) return 'system';
  return 'user';
}

/** `metadata.via` as written by newer writers: a client id or the literal `console`. */
const viaOf = (event: RecordedEvent): string | undefined => {
  const via = (event.metadata as { via?: unknown }).via;
  return typeof via === 'string' && via !== '' ? via : undefined;
};

/**
 * Describes actors for one query or export, with bounded caches of username and application
 * name timelines (folded from user and application streams in bounded chunks).
 */
export function createActorDescriber(store: EventStore, clients: ClientDirectory) {
  const usernames = createTimelineCache((userId) => readNameTimeline(store, toUserStreamName(userId), 'username'));
  const applicationNames = createTimelineCache((applicationId) =>
    readNameTimeline(store, toApplicationStreamName(applicationId), 'name'),
  );
  const applicationOfClient = new Map<string, Promise<string | null>>();
  const clientApplicationName = async (clientId: string, time: number): Promise<string | null> => {
    let found = applicationOfClient.get(clientId);
    if (found === undefined) {
      if (applicationOfClient.size >= 500) applicationOfClient.clear();
      found = clients(clientId);
      applicationOfClient.set(clientId, found);
    }
    const applicationId = await found;
    return applicationId === null ? null : nameAt(await applicationNames(applicationId), time);
  };

  return async (event: RecordedEvent): Promise<ActorDescription> => {
    const time = eventTimeOf(event);
    const actorKind = actorKindOf(event);
    const actor = event.metadata.actor;
    let actorName: string | null;
    if (actor.startsWith(CLIENT_ACTOR)) actorName = await clientApplicationName(actor.slice(CLIENT_ACTOR.length), time);
    else if (SYSTEM_ACTORS.has(actor) || actor.startsWith(APPLICATION_ACTOR)) actorName = actor;
    else actorName = nameAt(await usernames(actor), time);
    const via = viaOf(event);
    return {
      actorKind,
      actorName,
      via: via === undefined ? null : via === 'console' ? 'console' : { clientId: via, applicationName: await clientApplicationName(via, time) },
    };
  };
}

export type ActorDescriber = ReturnType<typeof createActorDescriber>;
