/**
 * The registry as it was at a moment (`GET /admin/oauth-applications?asOf=`, `npm run audit --
 * as-of`): every application stream folded from the store's application events only (a
 * stream-prefix filtered readAll, in bounded chunks, yielding between them), each stream up to
 * its first event after the moment. Off the hot path: nothing here touches the token path or
 * the read model, and it takes its turn with the other audit reads (auditGate.ts); its cost is linear in the
 * number of application events (BENCHMARKS.md, "Registry as of a moment").
 */
import { paceAuditWork } from './auditGate.js';
import { evolveApplication, initialApplicationState } from '../domain/application/applicationDecider.js';
import type { ApplicationEvent, ApplicationState, ExistingApplication } from '../domain/application/applicationEvents.js';
import { idFromStreamName, streamPrefixes, toOrganizationStreamName, toUserStreamName } from '../domain/shared/streamNames.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { eventTimeOf } from '../eventStore/findRevisionAtTime.js';
import type { CompiledGridQuery } from '../../projections/gridQuery.js';
import type { ApplicationGridRow, Page } from '../../projections/readModel.js';
import { inAuditTurn } from './auditGate.js';
import { SLICE, sortInSlices } from './slicedWork.js';
import { createTimelineCache, nameAt, readNameTimeline } from './nameTimeline.js';

/** Application events read per chunk. */
export const AS_OF_CHUNK = 250;

export interface ApplicationAsOf {
  state: ExistingApplication;
  revision: number;
  position: number;
}

/** A grid row as of the moment, with the secrets valid then (never a hash). */
export type RegistryRow = ApplicationGridRow & { secrets: Array<{ current: boolean; validUntil: string | null }> };

/** Every application that existed at `asOf` (deleted ones included, with status Deleted). */
export async function applicationsAsOf(store: EventStore, asOf: Date): Promise<Map<string, ApplicationAsOf>> {
  const limit = asOf.getTime();
  const states = new Map<string, { state: ApplicationState; revision: number; position: number }>();
  const cut = new Set<string>(); // streams whose history has passed the moment: a prefix, like aggregateStream's asOf
  for (let after = 0; ; ) {
    const chunk = await store.readAll({ afterPosition: after, maxCount: AS_OF_CHUNK, filter: { streamPrefixes: [streamPrefixes.application] } });
    for (const event of chunk) {
      const id = idFromStreamName(event.streamName);
      if (cut.has(id)) continue;
      if (eventTimeOf(event) > limit) {
        cut.add(id);
        continue;
      }
      const previous = states.get(id)?.state ?? initialApplicationState();
      states.set(id, { state: evolveApplication(previous, event as unknown as ApplicationEvent), revision: event.revision, position: event.position });
    }
    if (chunk.length < AS_OF_CHUNK) break;
    after = chunk.at(-1)!.position;
    await paceAuditWork();
  }
  const existing = new Map<string, ApplicationAsOf>();
  let seen = 0;
  for (const [id, entry] of states) {
    if (entry.state.status !== 'Empty') existing.set(id, entry as ApplicationAsOf);
    if (++seen % SLICE === 0) await paceAuditWork();
  }
  return existing;
}

/** The secrets an application accepted at `at` (ms): the current one, and previous ones within their grace (never a hash). */
export const secretsValidAt = (state: ExistingApplication, at: number): RegistryRow['secrets'] =>
  state.status === 'Deleted'
    ? []
    : state.secrets
        .map((secret, index) => ({ current: index === 0, validUntil: secret.validUntil }))
        .filter((secret) => secret.validUntil === null || Date.parse(secret.validUntil) > at);

const rowOf = ({ state, revision, position }: ApplicationAsOf, at: number): RegistryRow => ({
  id: state.applicationId,
  clientId: state.clientId,
  name: state.name,
  nameLower: state.name.toLowerCase(),
  organizationId: state.organizationId,
  organizationName: '',
  ownerUserId: state.ownerUserId,
  ownerUsername: null,
  active: state.status === 'Active',
  deleted: state.status === 'Deleted',
  grants: [...state.grants],
  frontend: state.frontend,
  allApis: state.allApis,
  apis: [...state.apis],
  scopes: [...state.scopes],
  applicationUrl: state.applicationUrl,
  description: state.description,
  createdAt: state.createdAt,
  updatedAt: state.updatedAt,
  lastUsedAt: null, // not part of the application's history
  revision,
  position,
  secrets: secretsValidAt(state, at),
});

/**
 * Every matching application as of a moment, in the query's order (filters, visibility scope
 * and sort of the grid's compiled query; its paging is ignored). Owner usernames and
 * organization names are the ones they had at that moment, filled in by `withNames`.
 */
export function registryRowsAsOf(store: EventStore, asOf: Date, query: CompiledGridQuery): Promise<RegistryRow[]> {
  return inAuditTurn(async () => {
    const at = asOf.getTime();
    const matching: RegistryRow[] = [];
    let seen = 0;
    for (const application of (await applicationsAsOf(store, asOf)).values()) {
      const row = rowOf(application, at);
      if (query.matches(row)) matching.push(row);
      if (++seen % SLICE === 0) await paceAuditWork();
    }
    return sortInSlices(matching, query.compare);
  });
}

type NamesAsOf = Pick<ApplicationGridRow, 'organizationName' | 'ownerUsername' | 'lastUsedAt'>;

/**
 * Looks up, for applications as of a moment, the owner's username and the organization's name
 * as they were then (bounded caches, one per lookup). Last use is not part of an application's
 * history, so it is null, as in the grid as of a moment.
 */
function namesAsOf(store: EventStore, asOf: Date) {
  const at = asOf.getTime();
  const usernames = createTimelineCache((id) => readNameTimeline(store, toUserStreamName(id), 'username'));
  const organizations = createTimelineCache((id) => readNameTimeline(store, toOrganizationStreamName(id), 'name'));
  return async (application: Pick<ExistingApplication, 'organizationId' | 'ownerUserId'>): Promise<NamesAsOf> => ({
    organizationName: nameAt(await organizations(application.organizationId), at) ?? '',
    ownerUsername: application.ownerUserId === null ? null : nameAt(await usernames(application.ownerUserId), at),
    lastUsedAt: null,
  });
}

/** Fills owner usernames and organization names as they were at the moment. */
export async function withNames(store: EventStore, asOf: Date, rows: RegistryRow[]): Promise<RegistryRow[]> {
  const names = namesAsOf(store, asOf);
  for (const row of rows) Object.assign(row, await names(row));
  return rows;
}

/** What one application's answer as of a moment takes from outside its stream (`namesAsOf`). */
export const applicationNamesAsOf = (
  store: EventStore,
  asOf: Date,
  application: Pick<ExistingApplication, 'organizationId' | 'ownerUserId'>,
): Promise<NamesAsOf> => namesAsOf(store, asOf)(application);

/** A grid page as of a moment: what `GET /admin/oauth-applications?asOf=` answers. */
export async function registryPageAsOf(store: EventStore, asOf: Date, query: CompiledGridQuery): Promise<Page<RegistryRow>> {
  const rows = await registryRowsAsOf(store, asOf, query);
  const items = await withNames(store, asOf, rows.slice(query.skip, query.skip + query.limit));
  return { items, total: rows.length, page: query.query.page, perPage: query.query.perPage };
}
