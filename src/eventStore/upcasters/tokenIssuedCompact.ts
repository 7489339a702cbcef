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
 * - `actorKind: 'client'` and `via: <clientId>` (what every token event says) are left out;
 * - the optional `codeId` of authorization_code tokens (12 characters) is `o`, as it is;
 * - metadata keys this form does not know (causation id, …) are kept as they are;
 * - `previousSecret` (`p`, added later as an optional field of this version) is written only
 *   when a previous secret authenticated the client, so the usual token pays nothing for it.
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
  /** codeId (authorization_code only): kept as it is, 12 characters. */
  o?: string;
  /** `previousSecret` (only when a previous secret authenticated the client: 4 bytes then, none otherwise). */
  p?: number;
}

type FullData = TokenIssued['data'];

const GRANT_CODES: Record<Grant, string> = { client_credentials: 'cc', password: 'pw', refresh_token: 'rt', authorization_code: 'ac' };
const GRANTS_BY_CODE = new Map(Object.entries(GRANT_CODES).map(([grant, code]) => [code, grant as Grant]));

const HEX_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i += 1) HEX_VALUES['0123456789abcdef'.charCodeAt(i)] = i;
const hexValue = (code: number): number => (code < 128 ? HEX_VALUES[code]! : -1);
const scratch = Buffer.alloc(16);
/** A lowercase UUID's 16 bytes as 22 base64url characters; undefined for anything else. One pass, no garbage. */
const packUuid = (uuid: string): string | undefined => {
  if (uuid.length !== 36) return undefined;
  let byte = 0;
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (uuid.charCodeAt(i) !== 45 /* - */) return undefined;
      i += 1;
    }
    const high = hexValue(uuid.charCodeAt(i));
    const low = hexValue(uuid.charCodeAt(i + 1));
    if (high < 0 || low < 0) return undefined;
    scratch[byte++] = (high << 4) | low;
  }
  return scratch.toString('base64url');
};
const unpackUuid = (packed: string): string => {
  const hex = Buffer.from(packed, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const unpacked = (packed: unknown, raw: unknown): string | undefined =>
  typeof packed === 'string' ? unpackUuid(packed) : typeof raw === 'string' ? raw : undefined;

const commonPrefix = (values: readonly string[]): string => {
  const first = values[0] ?? '';
  let length = first.length;
  for (const value of values) {
    let i = 0;
    while (i < length && value.charCodeAt(i) === first.charCodeAt(i)) i += 1;
    length = i;
  }
  return first.slice(0, length);
};
const packAudiences = (aud: readonly string[]): string[] => {
  if (aud.length === 0) return [];
  const prefix = commonPrefix(aud);
  return [prefix, ...aud.map((a) => a.slice(prefix.length))];
};
const unpackAudiences = (packed: readonly string[]): string[] => packed.slice(1).map((suffix) => packed[0] + suffix);

/** occurredAt as epoch ms when that gives the same text back, else undefined. */
const exactMillis = (iso: string): number | undefined => {
  if (iso.length !== 24) return undefined; // toISOString's length for years 0000–9999
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : undefined;
};

// Written field by field (no spreads of temporary objects): it runs once per token on the event loop.
export function compactTokenIssued(
  data: FullData,
  metadata: EventMetadata,
): { data: CompactTokenIssuedData; metadata: Record<string, unknown> } {
  const t = exactMillis(metadata.occurredAt);
  const compactData = {} as CompactTokenIssuedData;
  const jti = packUuid(data.jti);
  if (jti !== undefined) compactData.j = jti;
  else compactData.J = data.jti;
  compactData.c = data.clientId;
  compactData.g = GRANT_CODES[data.grant] ?? data.grant;
  const sub = packUuid(data.sub);
  if (sub !== undefined) compactData.s = sub;
  else compactData.S = data.sub;
  compactData.a = packAudiences(data.aud);
  if (data.scope !== '') compactData.sc = data.scope;
  if (t !== undefined) compactData.e = data.exp - Math.floor(t / 1000);
  else compactData.x = data.exp;
  if (data.familyId !== undefined) {
    const familyId = packUuid(data.familyId);
    if (familyId !== undefined) compactData.f = familyId;
    else compactData.F = data.familyId;
  }
  if (data.codeId !== undefined) compactData.o = data.codeId;
  if (data.previousSecret !== undefined) compactData.p = data.previousSecret;

  const compactMetadata: Record<string, unknown> = { schemaVersion: TOKEN_ISSUED_COMPACT_VERSION };
  if (t !== undefined) compactMetadata['t'] = t;
  else compactMetadata['occurredAt'] = metadata.occurredAt;
  const correlationId = packUuid(metadata.correlationId);
  if (correlationId !== undefined) compactMetadata['k'] = correlationId;
  else compactMetadata['K'] = metadata.correlationId;
  for (const [key, value] of Object.entries(metadata)) {
    if (value === undefined || COMPACTED_METADATA.has(key)) continue;
    if (key === 'ip') compactMetadata['i'] = value;
    else if (key === 'userAgent') compactMetadata['u'] = value;
    else if (key === 'actor') {
      if (value !== `client:${data.clientId}`) compactMetadata['actor'] = value;
    } else if (key === 'actorKind') {
      if (value !== 'client') compactMetadata['actorKind'] = value;
    } else if (key === 'via') {
      if (value !== data.clientId) compactMetadata['via'] = value;
    } else compactMetadata[key] = value;
  }
  // What every token event says is left out; its absence (metadata written without it) is marked.
  if (metadata.actorKind === undefined) compactMetadata['actorKind'] = null;
  if (metadata.via === undefined) compactMetadata['via'] = null;
  return { data: compactData, metadata: compactMetadata };
}

/** Metadata keys written above in their own way (the rest are kept as they are). */
const COMPACTED_METADATA = new Set(['occurredAt', 'correlationId', 'schemaVersion']);

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
  const { t, occurredAt: rawOccurredAt, k, K, i, u, actor, actorKind, via, ...otherMetadata } = compactMetadata;
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
    ...(data.o !== undefined ? { codeId: data.o } : {}),
    ...(typeof data.p === 'number' ? { previousSecret: data.p } : {}),
  };
  const metadata: EventMetadata = {
    ...otherMetadata,
    actor: typeof actor === 'string' ? actor : `client:${data.c}`,
    ...(actorKind === null ? {} : { actorKind: actorKind === 'user' || actorKind === 'system' ? actorKind : 'client' }),
    ...(via === null ? {} : { via: typeof via === 'string' ? via : data.c }),
    occurredAt,
    correlationId: unpacked(k, K) ?? '',
    ...(typeof i === 'string' ? { ip: i } : {}),
    ...(typeof u === 'string' ? { userAgent: u } : {}),
    schemaVersion: TOKEN_ISSUED_COMPACT_VERSION,
  };
  return { data: full, metadata };
}
