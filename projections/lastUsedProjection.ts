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
 * Per secret: each token also raises the maximum of the secret it was obtained with (TokenIssued's
 * `previousSecret`: absent is the current secret, 1 the previous one in its grace period), so
 * the Tokens tab can say whether the previous secret is still in use before its grace ends.
 * A seed after a replay knows only the newest token's secret.
 *
 * Decision: lastUsedAt is a *convenience figure* (and so are the per-secret times). It may trail by one flush interval
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
  /**
   * This process issued a token (told by the token audit once its TokenIssued is durable);
   * `previousSecret` is TokenIssued's (absent: the current secret).
   */
  recordIssued(applicationId: string, occurredAt: string, previousSecret?: number): void;
}

export type LastUsedOptions =
  | { tokensFrom?: 'store' }
  | { tokensFrom: 'thisProcess'; store: Pick<EventStore, 'readStream'> };

/** How many events of a token stream are read at a time, newest first, looking for the last TokenIssued. */
const SEED_PAGE = 50;

export function createLastUsedProjection(options: LastUsedOptions = {}): LastUsedProjection {
  // Maxima per application: any token, and by the secret it was obtained with.
  let buffer = new Map<string, string>();
  let bySecret = { current: new Map<string, string>(), previous: new Map<string, string>() };
  const raiseIn = (map: Map<string, string>, applicationId: string, at: string): void => {
    const seen = map.get(applicationId);
    if (seen === undefined || seen < at) map.set(applicationId, at);
  };
  const raise = (applicationId: string, at: string, previousSecret?: number): void => {
    raiseIn(buffer, applicationId, at);
    if (previousSecret === undefined || previousSecret === 0) raiseIn(bySecret.current, applicationId, at);
    else if (previousSecret === 1) raiseIn(bySecret.previous, applicationId, at);
  };

  const newestTokenIssued = async (store: Pick<EventStore, 'readStream'>, applicationId: string): Promise<{ at: string; previousSecret: number | undefined } | undefined> => {
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
      if (issued !== undefined) return { at: issued.metadata.occurredAt, previousSecret: (issued.data as TokenIssued['data']).previousSecret };
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
        const newest = await newestTokenIssued(store, data.applicationId);
        if (newest !== undefined) raise(data.applicationId, newest.at, newest.previousSecret);
      }),
    };
  } else {
    streamPrefixesNeeded = [streamPrefixes.tokens];
    handlers = {
      TokenIssued: on<TokenIssued>(async (data, event) => raise(data.applicationId, event.metadata.occurredAt, data.previousSecret)),
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
      const secrets = bySecret;
      buffer = new Map();
      bySecret = { current: new Map(), previous: new Map() };
      try {
        await readModel.applications.touchLastUsed(
          [...writing].map(([applicationId, at]) => {
            const currentSecretAt = secrets.current.get(applicationId);
            const previousSecretAt = secrets.previous.get(applicationId);
            return { applicationId, at, ...(currentSecretAt !== undefined && { currentSecretAt }), ...(previousSecretAt !== undefined && { previousSecretAt }) };
          }),
        );
      } catch (error) {
        // Put the maxima back: the next flush retries them (no checkpoint passes them meanwhile).
        for (const [id, at] of writing) raiseIn(buffer, id, at);
        for (const [id, at] of secrets.current) raiseIn(bySecret.current, id, at);
        for (const [id, at] of secrets.previous) raiseIn(bySecret.previous, id, at);
        throw error;
      }
    },
    reset() {
      buffer = new Map();
      bySecret = { current: new Map(), previous: new Map() };
    },
    get pending() {
      return buffer.size;
    },
  };
}
