import { randomUUID } from 'node:crypto';

/** A new random id (UUID v4) for aggregates and events. */
export const newId = (): string => randomUUID();
