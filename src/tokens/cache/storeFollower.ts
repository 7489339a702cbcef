import type { EventFilter, EventStore, RecordedEvent, Subscription } from '../../eventStore/eventStore.js';

/**
 * Follows the event store for one filter: a subscription from the start (or a position) and,
 * on demand, a catch-up read from the last position seen to the head, so a caller that
 * missed can look again after everything already committed has been applied. Events reach
 * `apply` in position order; one seen twice (subscription and catch-up) is skipped.
 */
export interface StoreFollower {
  readonly position: number;
  /** Resolves once the subscription has caught up with the store. */
  start(): Promise<void>;
  /** Reads and applies every committed event after `position` (concurrent calls share one read). */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

const PAGE = 1000;
const RESUBSCRIBE_DELAY_MS = 500;

export function createStoreFollower(options: {
  store: EventStore;
  filter: EventFilter;
  apply: (event: RecordedEvent) => void | Promise<void>;
  onError?: (error: Error) => void;
}): StoreFollower {
  const { store, filter, apply } = options;
  let position = 0;
  let subscription: Subscription | undefined;
  let stopped = false;
  let inFlight: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const deliver = async (event: RecordedEvent): Promise<void> => {
    if (event.position <= position) return;
    await apply(event);
    if (event.position > position) position = event.position;
  };

  const subscribe = (onCaughtUp?: () => void, onFailure?: (e: Error) => void): void => {
    subscription = store.subscribeToAll({
      afterPosition: position,
      filter,
      onEvent: deliver,
      onCaughtUp: () => onCaughtUp?.(),
      onError: (error) => {
        options.onError?.(error);
        onFailure?.(error);
        if (!stopped) retryTimer = setTimeout(() => subscribe(), RESUBSCRIBE_DELAY_MS);
      },
    });
  };

  const readToHead = async (): Promise<void> => {
    for (;;) {
      const events = await store.readAll({ afterPosition: position, maxCount: PAGE, filter });
      for (const event of events) await deliver(event);
      if (events.length < PAGE) return;
    }
  };

  return {
    get position() {
      return position;
    },
    start: () =>
      new Promise<void>((resolve, reject) => {
        subscribe(resolve, reject);
      }),
    catchUp() {
      inFlight ??= readToHead().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      await subscription?.stop();
    },
  };
}
