import pg from 'pg';
import type { CommittedAppends } from '../catchUpSubscription.js';
import { EVENTS_CHANNEL, parseNotifyPayload } from './pgNotifyPayload.js';

export interface CommitListener {
  /** Connects and LISTENs; resolves once listening (or after the first failed attempt: it keeps retrying). */
  start(): Promise<void>;
  close(): Promise<void>;
  readonly listening: boolean;
}

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to queries and lose it).
 * Commits announced by other nodes reach `onCommitted`; this node's own are skipped (it
 * signals them itself, earlier). A lost connection is re-opened after `reconnectMs` and LISTENs
 * again; as notifications may have been missed meanwhile, `onCommitted(undefined)` then wakes
 * every subscription (each also polls, so nothing depends on a notification arriving).
 */
export function createCommitListener(options: {
  connectionString: string;
  nodeId: string;
  onCommitted: (committed: CommittedAppends | undefined) => void;
  reconnectMs?: number;
}): CommitListener {
  const reconnectMs = options.reconnectMs ?? 1000;
  let client: pg.Client | undefined;
  let closed = false;
  let listening = false;
  let timer: NodeJS.Timeout | undefined;

  const scheduleReconnect = (): void => {
    listening = false;
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect(true);
    }, reconnectMs);
    timer.unref();
  };

  const connect = async (afterLoss: boolean): Promise<void> => {
    const next = new pg.Client({ connectionString: options.connectionString, application_name: 'tollgate-listen', keepAlive: true });
    next.on('error', () => {
      if (client === next) client = undefined;
      void next.end().catch(() => undefined);
      scheduleReconnect();
    });
    next.on('end', () => {
      if (client === next) {
        client = undefined;
        scheduleReconnect();
      }
    });
    next.on('notification', (message) => {
      if (message.channel !== EVENTS_CHANNEL) return;
      const { nodeId, committed } = parseNotifyPayload(message.payload);
      if (nodeId === options.nodeId) return;
      options.onCommitted(committed);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch {
      await next.end().catch(() => undefined);
      scheduleReconnect();
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    listening = true;
    if (afterLoss) options.onCommitted(undefined);
  };

  return {
    start: () => connect(false),
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      listening = false;
      if (timer !== undefined) clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
