import { paceAuditWork } from './auditGate.js';
import type { ApplicationCreated } from '../domain/application/applicationEvents.js';
import { streamPrefixes } from '../domain/shared/streamNames.js';
import type { EventStore } from '../eventStore/eventStore.js';
import type { ClientDirectory } from './actorDescription.js';

/**
 * Client id → application id from the store alone (the audit CLI has no state cache): one
 * scan of `ApplicationCreated` events, in bounded chunks, the first time a client is asked
 * for. Client ids never change, so the index holds one entry per application.
 */
export function createScannedClientDirectory(store: EventStore, chunk = 1000): ClientDirectory {
  let index: Promise<Map<string, string>> | undefined;
  const build = async (): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    for (let after = 0; ; ) {
      const events = await store.readAll({
        afterPosition: after,
        maxCount: chunk,
        filter: { streamPrefixes: [streamPrefixes.application], eventTypes: ['ApplicationCreated'] },
      });
      for (const event of events) {
        const data = event.data as ApplicationCreated['data'];
        found.set(data.clientId, data.applicationId);
      }
      if (events.length < chunk) return found;
      after = events.at(-1)!.position;
      await paceAuditWork();
    }
  };
  return async (clientId) => (await (index ??= build())).get(clientId) ?? null;
}
