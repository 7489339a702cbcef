/**
 * The schema version of `data` each event type is written with (`metadata.schemaVersion`).
 * Changing an event's stored shape means bumping its number here and registering an upcaster
 * from the old number (src/eventStore/upcasters.ts). Events read without the marker are
 * version 1 (the first release wrote none); a type not listed here is written as version 1.
 */
export const SCHEMA_VERSIONS = {
  ApplicationCreated: 2,
  /** Version 2: the compact stored form (src/eventStore/upcasters/tokenIssuedCompact.ts). */
  TokenIssued: 2,
} as const;

/** The version written for `type`; 1 for a type the table does not list. */
export const schemaVersionFor = (type: string): number =>
  Object.hasOwn(SCHEMA_VERSIONS, type) ? SCHEMA_VERSIONS[type as keyof typeof SCHEMA_VERSIONS] : 1;
