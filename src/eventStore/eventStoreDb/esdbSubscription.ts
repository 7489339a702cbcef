import type { EventStoreDBClient } from '@eventstore/db-client';
import { START } from '@eventstore/db-client';
import { matchesFilter } from '../eventFilter.js';
import type { SubscribeOptions, Subscription } from '../eventStore.js';
import type { UpcastFn } from '../upcasters.js';
import { toEsdbFilter, toEsdbPosition, toRecordedEvent } from './esdbMapping.js';
import { toPortError } from './esdbErrors.js';

/**
 * ESDB's own catch-up subscription on $all with a server-side filter; the server does the
 * catch-up/live handover. Events are handled one at a time (the async iterator pulls the next
 * only after the handler's promise settles); anything at or before the last delivered position
 * is skipped, so a resubscription from a checkpoint never repeats an event.
 */
export function subscribeToAllEsdb(
  client: EventStoreDBClient,
  options: SubscribeOptions,
  upcast: UpcastFn,
): Subscription {
  let position = options.afterPosition ?? 0;
  let stopped = false;
  let inHandler = false;
  const subscription = client.subscribeToAll({
    fromPosition: options.afterPosition ? toEsdbPosition(options.afterPosition) : START,
    filter: toEsdbFilter(options.filter),
  });
  subscription.once('caughtUp', () => options.onCaughtUp?.(position));

  const done = (async () => {
    try {
      for await (const resolved of subscription) {
        if (stopped) break;
        const event = toRecordedEvent(resolved);
        if (event === undefined || event.position <= position || !matchesFilter(event, options.filter)) {
          continue;
        }
        inHandler = true;
        try {
          await options.onEvent(upcast(event));
        } finally {
          inHandler = false;
        }
        position = event.position;
      }
    } catch (error) {
      if (!stopped) {
        const mapped = toPortError(error);
        options.onError?.(mapped instanceof Error ? mapped : new Error(String(mapped)));
      }
    } finally {
      stopped = true;
      await subscription.unsubscribe().catch(() => undefined);
    }
  })();

  return {
    get position() {
      return position;
    },
    async stop() {
      stopped = true;
      await subscription.unsubscribe().catch(() => undefined);
      if (!inHandler) await done;
    },
  };
}
