import type { Grant } from '../../domain/application/applicationEvents.js';
import { SCHEMA_VERSIONS } from '../../domain/shared/schemaVersions.js';
import { idFromStreamName } from '../../domain/shared/streamNames.js';
import type { TokenIssued } from '../../domain/tokens/tokenEvents.js';
import type { EventMetadata } from '../eventStore.js';

/**
 * `TokenIssued` schema version 2: the compact form it is stored in. One is written per access
 * token, so every byte counts (BENCHMARKS.md, "Disk"). Nothing is dropped that cannot be
 * rebuilt exactly (`expandTokenIssued(compactTokenIssued(x))` gives `x` back):
 *
 * - `applicationId` is left out: the stream `oauthTokens-<applicationId>` holds it;
 * - the actor `client:<clientId>` is left out when it is exactly that;
 * - UUIDs (jti, sub, family, correlation id) are 22 base64url characters instead of 36
 *   (under their own keys, `j`/`s`/`f`/`k`; any other value is kept as it is under `J`/`S`/`F`/`K`);
 * - the audience list is its common prefix followed by the suffixes;
 * - the grant is a two-letter code; `occurredAt` is epoch milliseconds; `exp` is seconds
 *   after `occurredAt`'s second (each kept as written when it would not round-trip);
 * - metadata keys this form does not know (causation id, `via`, …) are kept as they are.
 */
export const TOKEN_ISSUED_COMPACT_VERSION = SCHEMA_VERSIONS.TokenIssued;

export interface CompactTokenIssuedData {
  j?: string;
  J?: string;
  c: string;
  g: string;
  s?: string;
  S?: string;
  a: string[];
  sc?: string;
  e?: number;
  x?: number;
  f?: string;
  F?: string;
}

type FullData = TokenIssued['data'];

const GRANT_CODES: Record<Grant, string> = { client_credentials: 'cc', password: 'pw', refresh_token: 'rt' };
const GRANTS_BY_CODE = new Map(Object.entries(GRANT_CODES).map(([grant, code]) => [code, grant as Grant]));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const packUuid = (uuid: string): string => Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url');
const unpackUuid = (packed: string): string => {
  const hex = Buffer.from(packed, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
/** `{ [packedKey]: packed }` for a UUID, `{ [rawKey]: value }` otherwise. */
const maybePacked = (value: string, packedKey: string, rawKey: string): Record<string, string> =>
  UUID.test(value) ? { [packedKey]: packUuid(value) } : { [rawKey]: value };
const unpacked = (packed: unknown, raw: unknown): string | undefined =>
  typeof packed === 'string' ? unpackUuid(packed) : typeof raw === 'string' ? raw : undefined;

const commonPrefix = (values: readonly string[]): string => {
  let prefix = values[0] ?? '';
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
};
const packAudiences = (aud: readonly string[]): string[] => {
  if (aud.length === 0) return [];
  const prefix = commonPrefix(aud);
  return [prefix, ...aud.map((a) => a.slice(prefix.length))];
};
const unpackAudiences = (packed: readonly string[]): string[] => packed.slice(1).map((suffix) => packed[0] + suffix);

/** occurredAt as epoch ms when that gives the same text back, else undefined. */
const exactMillis = (iso: string): number | undefined => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : undefined;
};

export function compactTokenIssued(
  data: FullData,
  metadata: EventMetadata,
): { data: CompactTokenIssuedData; metadata: Record<string, unknown> } {
  const { actor, occurredAt, correlationId, ip, userAgent, schemaVersion: _written, ...otherMetadata } = metadata;
  const t = exactMillis(occurredAt);
  const compactData: CompactTokenIssuedData = {
    ...maybePacked(data.jti, 'j', 'J'),
    c: data.clientId,
    g: GRANT_CODES[data.grant] ?? data.grant,
    ...maybePacked(data.sub, 's', 'S'),
    a: packAudiences(data.aud),
    ...(data.scope !== '' ? { sc: data.scope } : {}),
    ...(t !== undefined ? { e: data.exp - Math.floor(t / 1000) } : { x: data.exp }),
    ...(data.familyId !== undefined ? maybePacked(data.familyId, 'f', 'F') : {}),
  };
  const compactMetadata: Record<string, unknown> = {
    schemaVersion: TOKEN_ISSUED_COMPACT_VERSION,
    ...(t !== undefined ? { t } : { occurredAt }),
    ...maybePacked(correlationId, 'k', 'K'),
    ...(ip !== undefined ? { i: ip } : {}),
    ...(userAgent !== undefined ? { u: userAgent } : {}),
    ...(actor !== `client:${data.clientId}` ? { actor } : {}),
    ...otherMetadata,
  };
  return { data: compactData, metadata: compactMetadata };
}

export const isCompactTokenIssuedData = (data: unknown): data is CompactTokenIssuedData =>
  typeof data === 'object' &&
  data !== null &&
  typeof (data as { c?: unknown }).c === 'string' &&
  Array.isArray((data as { a?: unknown }).a) &&
  !('jti' in data);

/** The full `TokenIssued` data and metadata of a compact event of stream `streamName`. */
export function expandTokenIssued(
  streamName: string,
  data: CompactTokenIssuedData,
  compactMetadata: Record<string, unknown>,
): { data: FullData; metadata: EventMetadata } {
  const { t, occurredAt: rawOccurredAt, k, K, i, u, actor, ...otherMetadata } = compactMetadata;
  const occurredAt = typeof t === 'number' ? new Date(t).toISOString() : String(rawOccurredAt);
  const familyId = unpacked(data.f, data.F);
  const full: FullData = {
    jti: unpacked(data.j, data.J) ?? '',
    applicationId: idFromStreamName(streamName),
    clientId: data.c,
    grant: GRANTS_BY_CODE.get(data.g) ?? (data.g as Grant),
    sub: unpacked(data.s, data.S) ?? '',
    aud: unpackAudiences(data.a),
    scope: data.sc ?? '',
    exp: typeof t === 'number' && data.e !== undefined ? Math.floor(t / 1000) + data.e : (data.x ?? 0),
    ...(familyId !== undefined ? { familyId } : {}),
  };
  const metadata: EventMetadata = {
    ...otherMetadata,
    actor: typeof actor === 'string' ? actor : `client:${data.c}`,
    occurredAt,
    correlationId: unpacked(k, K) ?? '',
    ...(typeof i === 'string' ? { ip: i } : {}),
    ...(typeof u === 'string' ? { userAgent: u } : {}),
    schemaVersion: TOKEN_ISSUED_COMPACT_VERSION,
  };
  return { data: full, metadata };
}
