import type { EventStore } from '../eventStore/eventStore.js';
import type { CommandHandler } from './commandHandler.js';

/** What the transport-agnostic command services need. */
export interface CommandDeps {
  store: EventStore;
  handler: CommandHandler;
  /** How long a fresh uniqueness reservation is protected (default 60 s). */
  uniqueKeyLeaseSeconds?: number;
  /** The server's token lifetimes: an application's own may not exceed them. */
  tokenTtlLimits?: { accessTokenTtl: number; refreshTokenTtl: number };
}
