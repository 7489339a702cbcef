/**
 * Last-used time from TokenIssued (`oauthTokens-<applicationId>`), coalesced: a token storm
 * must not become a write storm. Applying an event only raises an in-memory max per
 * application; `flush` writes one monotonic update per touched application. The runner
 * flushes on its checkpoint timer (default every second), before every checkpoint and at
 * stop.
 *
 * Decision: lastUsedAt is *advisory* for freshness (it may trail by one flush interval and
 * `waitForPosition` does not wait for it) but *exact* for durability — no checkpoint is ever
 * stored past a token event whose time is not yet written, because the flush precedes the
 * checkpoint. A crash loses only unflushed maxima, and the replay from the checkpoint
 * recomputes them; the max update makes that replay harmless.
 */
import type { TokenIssued } from '../src/domain/tokens/tokenEvents.js';
import { streamPrefixes } from '../src/domain/shared/streamNames.js';
import { on, type Projection } from './projection.js';
import type { ReadModel } from './readModel.js';

export interface LastUsedProjection extends Projection {
  /** Applications with an unwritten time. */
  readonly pending: number;
}

export function createLastUsedProjection(): LastUsedProjection {
  let buffer = new Map<string, string>();
  return {
    name: 'lastUsed',
    streamPrefixes: [streamPrefixes.tokens],
    // A token storm is lag here for a moment; stale last-used times never stop a node serving.
    gatesReadiness: false,
    handlers: {
      TokenIssued: on<TokenIssued>(async (data, event) => {
        const at = event.metadata.occurredAt;
        const seen = buffer.get(data.applicationId);
        if (seen === undefined || seen < at) buffer.set(data.applicationId, at);
      }),
    },
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
        for (const [id, at] of writing) {
          const seen = buffer.get(id);
          if (seen === undefined || seen < at) buffer.set(id, at);
        }
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
