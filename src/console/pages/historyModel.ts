import type { Via } from '../../audit/actorDescription.js';
import type { AuditedEntry } from '../../audit/historyQuery.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { formatUtcTime } from '../views.js';
import { GRANT_LABELS } from './applicationModels.js';

/** Who, in words (src/audit/actorDescription.ts: the username as it was then). */
function whoOf(entry: AuditedEntry): string {
  if (entry.actor === 'bootstrap' || entry.actor === 'system') return 'Tollgate';
  if (entry.actorKind === 'client') return `client ${entry.actorName ?? entry.actor.replace(/^client:/, '')}`;
  return entry.actorName ?? entry.actor;
}

function viaOf(entry: AuditedEntry): string {
  const via: Via | null = entry.via;
  if (via === 'console') return 'console';
  if (via !== null) return via.applicationName ?? via.clientId;
  return entry.actorKind === 'client' ? 'token endpoint' : 'admin API';
}

const show = (value: unknown): string =>
  value === null || value === undefined ? '—' : Array.isArray(value) ? value.join(', ') || '—' : String(value);

/**
 * The History tab: one bounded page of the application's history, newest first, through the
 * admin API's audit queries (src/audit/historyQuery.ts; never the whole stream): who (by name)
 * through which client, from where, old → new. `cursor` is the page's (from `next`).
 */
export async function historyPage(deps: ConsoleDeps, applicationId: string, perPage: number, cursor?: string) {
  const page = await deps.audit.readHistoryPage({ applicationId, includeTokens: false, order: 'desc', perPage }, cursor);
  const rows = page.items.map((entry) => {
    const data = entry.data as Record<string, unknown>;
    const changes =
      entry.type === 'ApplicationUpdated'
        ? Object.entries((data.changes ?? {}) as Record<string, { from: unknown; to: unknown }>).map(([field, c]) => ({ field, from: show(c.from), to: show(c.to) }))
        : [];
    return {
      when: entry.occurredAt,
      type: entry.type.replace(/^Application/, ''),
      who: whoOf(entry),
      via: viaOf(entry),
      ip: entry.ip ?? '—',
      changes,
      note: entry.type === 'ApplicationSecretRotated' ? `previous secret valid until ${formatUtcTime(data.previousSecretValidUntil)}` : '',
    };
  });
  return { rows, next: page.next };
}

const REVOCATION_REASONS: Record<string, string> = {
  revocation: 'revoked by the client',
  refreshTokenReuse: 'refresh token reused',
  familyRevoked: 'its refresh token was revoked',
  authorizationCodeReplay: 'authorization code replayed',
};

/** What a token-stream event says, in words (codes by their history id, never the code). */
export function tokenEventWording(type: string, d: Record<string, unknown>): string {
  if (type === 'AuthorizationCodeGranted') return `Authorization code ${show(d.codeId)} issued for ${show(d.redirectUri)}`;
  if (type === 'TokenRevoked') {
    const reason = REVOCATION_REASONS[String(d.reason)] ?? show(d.reason);
    return typeof d.codeId === 'string' ? `Revoked (${reason}: code ${d.codeId})` : `Revoked (${reason})`;
  }
  return typeof d.codeId === 'string' ? `Issued (code ${d.codeId} redeemed)` : 'Issued';
}

/** The Tokens tab's rows: issued and revoked tokens and issued authorization codes, as history entries (src/audit/historyQuery.ts). */
export async function tokenRows(deps: ConsoleDeps, entries: ReadonlyArray<Pick<AuditedEntry, 'type' | 'data' | 'occurredAt' | 'ip'>>) {
  const rows = [];
  for (const entry of entries) {
    const d = entry.data as Record<string, unknown>;
    const sub = typeof d.sub === 'string' ? d.sub : typeof d.userId === 'string' ? d.userId : undefined;
    const code = entry.type === 'AuthorizationCodeGranted';
    const wording = tokenEventWording(entry.type, d);
    rows.push({
      issuedAt: entry.occurredAt,
      what: typeof d.previousSecret === 'number' && d.previousSecret > 0 ? `${wording} (previous secret)` : wording,
      grant: entry.type === 'TokenRevoked' ? '—' : code ? GRANT_LABELS.authorization_code! : (GRANT_LABELS[String(d.grant)] ?? show(d.grant)),
      subject: sub ? ((await deps.readModel.users.get(sub))?.username ?? sub) : '—',
      jti: show(d.jti),
      expiresAt: typeof d.exp === 'number' ? new Date(d.exp * 1000).toISOString() : code ? show(d.expiresAt) : '—',
      ip: entry.ip ?? '—',
    });
  }
  return rows;
}
