import type { RecordedEvent } from '../eventStore.js';
import type { Upcaster } from '../upcasters.js';
import { expandTokenIssued, isCompactTokenIssuedData, TOKEN_ISSUED_COMPACT_VERSION } from './tokenIssuedCompact.js';

/**
 * `TokenIssued` version 2 is stored compact (tokenIssuedCompact.ts); readers get the full
 * `TokenIssued` shape, the same as version 1's, with `schemaVersion: 2` saying how it was
 * stored. An event already in the full shape is returned as it is (which ends the chain).
 */
export const tokenIssuedV2Upcaster: Upcaster = {
  eventType: 'TokenIssued',
  fromVersion: TOKEN_ISSUED_COMPACT_VERSION,
  upcast(event: RecordedEvent): RecordedEvent {
    if (!isCompactTokenIssuedData(event.data)) return event;
    const { data, metadata } = expandTokenIssued(
      event.streamName,
      event.data,
      event.metadata as unknown as Record<string, unknown>,
    );
    return { ...event, data, metadata };
  },
};
