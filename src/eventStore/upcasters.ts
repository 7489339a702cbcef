import type { RecordedEvent } from './eventStore.js';
import { applicationCreatedV1Upcaster } from './upcasters/applicationCreatedV1.js';
import { tokenIssuedV2Upcaster } from './upcasters/tokenIssuedV2.js';

/**
 * Upcasting: old event shapes are turned into the current shape when they are READ, so code
 * only ever sees the current shape and stored events are never rewritten.
 *
 * Versions are marked by `metadata.schemaVersion` (absent means 1). An upcaster is registered
 * for one event type and one schema version and returns the event at the next version
 * (data and metadata.schemaVersion); they chain until no upcaster matches. The store is
 * otherwise type-agnostic: an event type nobody registered passes through untouched.
 */
export interface Upcaster {
  eventType: string;
  fromVersion: number;
  upcast(event: RecordedEvent): RecordedEvent;
}

export type UpcastFn = (event: RecordedEvent) => RecordedEvent;

export const schemaVersionOf = (event: RecordedEvent): number => event.metadata.schemaVersion ?? 1;

export function createUpcaster(upcasters: readonly Upcaster[]): UpcastFn {
  const byKey = new Map(upcasters.map((u) => [`${u.eventType}@${u.fromVersion}`, u]));
  if (byKey.size === 0) return (event) => event;
  // Types with no upcaster pass without reading metadata: adapters may parse it lazily.
  const upcastTypes = new Set(upcasters.map((u) => u.eventType));
  return (event) => {
    if (!upcastTypes.has(event.type)) return event;
    let current = event;
    for (let step = 0; step < 100; step += 1) {
      const upcaster = byKey.get(`${current.type}@${schemaVersionOf(current)}`);
      if (upcaster === undefined) return current;
      const next = upcaster.upcast(current);
      if (next === current) return current;
      current = next;
    }
    throw new Error(`Upcasters for ${event.type} do not terminate`);
  };
}

/** The upcasters Tollgate reads its own history with. */
export const defaultUpcasters: readonly Upcaster[] = [applicationCreatedV1Upcaster, tokenIssuedV2Upcaster];

export const upcastWithDefaults: UpcastFn = createUpcaster(defaultUpcasters);
