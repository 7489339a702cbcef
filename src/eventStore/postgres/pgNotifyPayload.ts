import type { CommittedAppends } from '../catchUpSubscription.js';

/** The channel on which commits with events are announced to the other nodes. */
export const EVENTS_CHANNEL = 'tollgate_events';

/** NOTIFY payloads are limited to 8000 bytes; beyond this the payload names categories only. */
const MAX_PAYLOAD = 7000;

const category = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash < 0 ? streamName : streamName.slice(0, dash + 1);
};

/**
 * What a commit announces to the other nodes: each stream and its event types, so their
 * subscriptions are woken only by commits their filter can match (`commitMatches`). A big
 * batch names stream categories (`oauthTokens-`) instead; the biggest names nothing (`c`
 * absent: every subscription wakes).
 */
export function notifyPayload(nodeId: string, committed: CommittedAppends): string {
  const exact = JSON.stringify({ n: nodeId, c: committed.map(({ streamName, types }) => [streamName, [...new Set(types)]]) });
  if (exact.length <= MAX_PAYLOAD) return exact;
  const byCategory = new Map<string, Set<string>>();
  for (const { streamName, types } of committed) {
    const set = byCategory.get(category(streamName)) ?? new Set<string>();
    for (const type of types) set.add(type);
    byCategory.set(category(streamName), set);
  }
  const coarse = JSON.stringify({ n: nodeId, c: [...byCategory].map(([name, types]) => [name, [...types]]) });
  return coarse.length <= MAX_PAYLOAD ? coarse : JSON.stringify({ n: nodeId });
}

/** Reads a payload back; `undefined` for "anything may have been committed". */
export function parseNotifyPayload(payload: string | undefined): { nodeId?: string; committed?: CommittedAppends } {
  try {
    const parsed = JSON.parse(payload ?? '') as { n?: unknown; c?: unknown };
    const nodeId = typeof parsed.n === 'string' ? parsed.n : undefined;
    if (!Array.isArray(parsed.c)) return nodeId === undefined ? {} : { nodeId };
    const committed = parsed.c
      .filter((entry): entry is [string, string[]] => Array.isArray(entry) && typeof entry[0] === 'string' && Array.isArray(entry[1]))
      .map(([streamName, types]) => ({ streamName, types: types.filter((t) => typeof t === 'string') }));
    return nodeId === undefined ? { committed } : { nodeId, committed };
  } catch {
    return {};
  }
}
