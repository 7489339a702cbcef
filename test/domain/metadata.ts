import type { CommandMetadata } from '../../src/domain/shared/event.js';

export const NOW = new Date('2025-03-01T10:00:00.000Z');

export const metadataAt = (now: Date = NOW): CommandMetadata => ({
  actor: 'user-1',
  actorKind: 'user',
  now,
  correlationId: 'corr-1',
});
