import { toHistoryEntry } from '../../admin/historyEntry.js';
import type { RecordedEvent } from '../../eventStore/eventStore.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { GRANT_LABELS } from './applicationModels.js';

/** A user id or `client:<id>` as a name for the history (the read model's username when known). */
async function actorName(deps: ConsoleDeps, actor: string): Promise<string> {
  if (actor === 'bootstrap' || actor === 'system') return 'Tollgate';
  if (actor.startsWith('client:')) return `client ${actor.slice('client:'.length)}`;
  return (await deps.readModel.users.get(actor))?.username ?? actor;
}

const show = (value: unknown): string =>
  value === null || value === undefined ? '—' : Array.isArray(value) ? value.join(', ') || '—' : String(value);

/** The History tab: every event, who (by name) through which client, from where, old → new. */
export async function historyRows(deps: ConsoleDeps, events: RecordedEvent[]) {
  const names = new Map<string, string>();
  const rows = [];
  for (const event of events) {
    const entry = toHistoryEntry(event);
    if (!names.has(entry.actor)) names.set(entry.actor, await actorName(deps, entry.actor));
    const data = entry.data as Record<string, unknown>;
    const changes =
      event.type === 'ApplicationUpdated'
        ? Object.entries((data.changes ?? {}) as Record<string, { from: unknown; to: unknown }>).map(([field, c]) => ({ field, from: show(c.from), to: show(c.to) }))
        : [];
    rows.push({
      when: entry.occurredAt,
      type: event.type.replace(/^Application/, ''),
      who: names.get(entry.actor),
      via: event.metadata.via ?? (entry.actor.startsWith('client:') ? 'token endpoint' : 'admin API'),
      ip: entry.ip ?? '—',
      changes,
      note: event.type === 'ApplicationSecretRotated' ? `previous secret valid until ${show(data.previousSecretValidUntil)}` : '',
    });
  }
  return rows.reverse();
}

/** The Tokens tab: issued and revoked tokens (newest first). */
export async function tokenRows(deps: ConsoleDeps, events: RecordedEvent[]) {
  const rows = [];
  for (const event of events) {
    const d = event.data as Record<string, unknown>;
    const sub = typeof d.sub === 'string' ? d.sub : typeof d.userId === 'string' ? d.userId : undefined;
    rows.push({
      issuedAt: event.metadata.occurredAt,
      what: event.type === 'TokenRevoked' ? `Revoked (${show(d.reason)})` : 'Issued',
      grant: event.type === 'TokenRevoked' ? '—' : (GRANT_LABELS[String(d.grant)] ?? show(d.grant)),
      subject: sub ? ((await deps.readModel.users.get(sub))?.username ?? sub) : '—',
      jti: show(d.jti),
      expiresAt: typeof d.exp === 'number' ? new Date(d.exp * 1000).toISOString() : '—',
      ip: event.metadata.ip ?? '—',
    });
  }
  return rows;
}
