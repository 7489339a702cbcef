/**
 * Last-used time per application, coalesced: a token storm must not become a write storm.
 * Applying a token only raises an in-memory max per application; `flush` writes one monotonic
 * update per touched application. The runner flushes on its checkpoint timer (default every
 * second), before every checkpoint and at stop.
 *
 * Where the tokens come from (`tokensFrom`):
 *
 * - `'store'` (a store several nodes share: EventStoreDB, PostgreSQL): every `TokenIssued`
 *   of `oauthTokens-*` is read from the store, so other nodes' tokens count; this node's own
 *   tokens are also reported in process (`recordIssued`) and count at once. Both are a max,
 *   so a token seen twice changes nothing.
 * - `'thisProcess'` (the embedded SQLite store: one process issues the tokens of a file):
 *   the token path reports each token in process (`recordIssued`), and the subscription does
 *   not read token streams at all — the 20–30 µs of event loop per token that reading each
 *   `TokenIssued` back cost (BENCHMARKS.md). A replay (start with the in-memory read model,
 *   rebuild) has no live tokens to hear of, so when an application appears (`ApplicationCreated`)
 *   its time is seeded from the newest `TokenIssued` still in its token stream.
 *
 * Decision: lastUsedAt is a *convenience figure*. It may trail by one flush interval
 * (`waitForPosition` does not wait for it) and, with tokens reported in process, a crash
 * loses the maxima not yet flushed (at most the last second): no replay brings them back
 * while the read model is kept (MongoDB); the in-memory read model is rebuilt at start and
 * seeded from the store, so it is exact again.
 */
import type { ApplicationCreated } from '../src/domain/application/applicationEvents.js';
import { streamPrefixes, toTokensStreamName } from '../src/domain/shared/streamNames.js';
import type { TokenIssued } from '../src/domain/tokens/tokenEvents.js';
import type { EventStore } from '../src/eventStore/eventStore.js';
import { on, type Projection, type ProjectionHandler } from './projection.js';
import type { ReadModel } from './readModel.js';

export interface LastUsedProjection extends Projection {
  /** Applications with an unwritten time. */
  readonly pending: number;
  /** This process issued a token (told by the token audit once its TokenIssued is durable). */
  recordIssued(applicationId: string, occurredAt: string): void;
}

export type LastUsedOptions =
  | { tokensFrom?: 'store' }
  | { tokensFrom: 'thisProcess'; store: Pick<EventStore, 'readStream'> };

/** How many events of a token stream are read at a time, newest first, looking for the last TokenIssued. */
const SEED_PAGE = 50;

export function createLastUsedProjection(options: LastUsedOptions = {}): LastUsedProjection {
  let buffer = new Map<string, string>();
  const raise = (applicationId: string, at: string): void => {
    const seen = buffer.get(applicationId);
    if (seen === undefined || seen < at) buffer.set(applicationId, at);
  };

  const newestTokenIssued = async (store: Pick<EventStore, 'readStream'>, applicationId: string): Promise<string | undefined> => {
    const streamName = toTokensStreamName(applicationId);
    let fromRevision: number | undefined;
    // The newest event is nearly always a TokenIssued: read it alone first, then pages.
    for (let maxCount = 1; ; maxCount = SEED_PAGE) {
      const page = await store.readStream(streamName, {
        direction: 'backwards',
        maxCount,
        ...(fromRevision !== undefined ? { fromRevision } : {}),
      });
      const issued = page.find((event) => event.type === 'TokenIssued');
      if (issued !== undefined) return issued.metadata.occurredAt;
      const oldest = page.at(-1);
      if (page.length < maxCount || oldest === undefined || oldest.revision === 0) return undefined;
      fromRevision = oldest.revision - 1;
    }
  };

  let streamPrefixesNeeded: string[];
  let handlers: Record<string, ProjectionHandler>;
  if (options.tokensFrom === 'thisProcess') {
    const { store } = options;
    streamPrefixesNeeded = [streamPrefixes.application];
    handlers = {
      ApplicationCreated: on<ApplicationCreated>(async (data) => {
        const at = await newestTokenIssued(store, data.applicationId);
        if (at !== undefined) raise(data.applicationId, at);
      }),
    };
  } else {
    streamPrefixesNeeded = [streamPrefixes.tokens];
    handlers = {
      TokenIssued: on<TokenIssued>(async (data, event) => raise(data.applicationId, event.metadata.occurredAt)),
    };
  }

  return {
    name: 'lastUsed',
    streamPrefixes: streamPrefixesNeeded,
    // A token storm is lag here for a moment; stale last-used times never stop a node serving.
    gatesReadiness: false,
    handlers,
    recordIssued: raise,
    async flush(readModel: ReadModel) {
      if (buffer.size === 0) return;
      const writing = buffer;
      buffer = new Map();
      try {
        await readModel.applications.touchLastUsed(
          [...writing].map(([applicationId, at]) => ({ applicationId, at })),
        );
      } catch (error) {
        // Put the maxima back: the next flush retries them (no checkpoint passes them meanwhile).
        for (const [id, at] of writing) raise(id, at);
        throw error;
      }
    },
    reset() {
      buffer = new Map();
    },
    get pending() {
      return buffer.size;
    },
  };
}
