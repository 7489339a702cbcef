import type pg from 'pg';
import type { CommittedAppends } from '../catchUpSubscription.js';
import { EVENTS_CHANNEL, notifyPayload } from './pgNotifyPayload.js';

export interface CommitNotifier {
  /** Announces committed appends to the other nodes (best effort: they also poll). */
  announce(committed: CommittedAppends): void;
  /** Resolves once nothing is being announced. */
  drain(): Promise<void>;
}

/**
 * NOTIFY after the commit, in a transaction of its own with synchronous_commit off: it holds
 * PostgreSQL's notification lock only for a commit that waits for no disk, so appends from
 * many connections and nodes keep committing concurrently. One announcement at a time;
 * commits made meanwhile go together in the next one.
 */
export function createCommitNotifier(pool: pg.Pool, nodeId: string): CommitNotifier {
  let pending: Array<CommittedAppends[number]> = [];
  let inFlight: Promise<void> | undefined;

  const send = (): void => {
    if (inFlight !== undefined || pending.length === 0) return;
    const payload = notifyPayload(nodeId, pending);
    pending = [];
    inFlight = pool
      .query("SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)", [EVENTS_CHANNEL, payload])
      .then(
        () => undefined,
        () => undefined, // the others' polls find the events
      )
      .finally(() => {
        inFlight = undefined;
        send();
      });
  };

  return {
    announce(committed) {
      pending.push(...committed);
      send();
    },
    async drain() {
      while (inFlight !== undefined) await inFlight;
    },
  };
}
