import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { packTokenBody, packTokenIssuedText, unpackTokenBody } from './tokenBody.js';
import type { WireRow } from './writerProtocol.js';

/**
 * How an event's fields are kept in a row of schema version 2 (schema.ts), both ways. Written
 * on the writer thread (encoding and deflating cost it, not the event loop), except a new
 * TokenIssued's body, packed on the main thread from its objects (`packedTokenIssuedBody`);
 * read on the main thread.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A lowercase UUID as its 16 bytes; any other id as it is (a BLOB never equals a TEXT). */
export const encodeEventId = (id: string): Buffer | string =>
  UUID.test(id) ? Buffer.from(id.replaceAll('-', ''), 'hex') : id;

export const decodeEventId = (stored: Buffer | string): string => {
  if (typeof stored === 'string') return stored;
  const hex = stored.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * Tollgate's common JSON fragments, as deflate's preset dictionary: a short body compresses
 * by what it shares with these as well as with itself. Part of the file format: a body
 * deflated with it starts with BODY_DEFLATE_V1, and a changed dictionary needs a new marker.
 */
const DICTIONARY_V1 = Buffer.from(
  [
    '{"jti":"","applicationId":"","clientId":"","grant":"client_credentials","sub":"","aud":["https://',
    '"],"scope":"","exp":,"familyId":"","reason":"revocation","tokenHash":"sha256$","expiresAt":"',
    '{"actor":"client:","occurredAt":"20","correlationId":"","causationId":"","ip":"::ffff:127.0.0.1","userAgent":"',
    'Mozilla/5.0 python-requests/ okhttp/ Go-http-client/1.1 curl/","schemaVersion":2,"via":"console"}',
    '{"j":"","c":"","g":"cc","s":"","a":["https://","/admin","/api","/api/email","/scim/v2","/storefront/api"],"sc":"openid profile email","e":300}',
    '{"schemaVersion":2,"t":17,"k":"","i":"","u":"python-requests/',
  ].join(''),
);
const BODY_DEFLATE_V1 = 1;
/** A compact TokenIssued packed by tokenBody.ts: no deflate, ~2 µs instead of ~13. */
const BODY_TOKEN_V1 = 2;
/** Bodies shorter than this stay text: deflate would gain too little to pay for itself. */
const DEFLATE_FROM_BYTES = 120;
const DEFLATE_OPTIONS = { dictionary: DICTIONARY_V1, level: 6, windowBits: 10, memLevel: 2 };

/**
 * data and metadata as one body (JSON text never holds a raw newline): a compact TokenIssued
 * packed when it is in the usual shape and unpacks to the same text (checked here, so a row
 * always reads back as written), anything else deflated when that pays.
 */
export function encodeBody(data: string, metadata: string): Buffer | string {
  const text = `${data}\n${metadata}`;
  if (text.length < DEFLATE_FROM_BYTES) return text;
  const packed = packTokenBody(data, metadata, BODY_TOKEN_V1);
  if (packed !== undefined && unpacksTo(packed, data, metadata)) return packed;
  const deflated = deflateRawSync(text, DEFLATE_OPTIONS);
  if (deflated.length + 1 >= Buffer.byteLength(text)) return text;
  return Buffer.concat([Buffer.of(BODY_DEFLATE_V1), deflated]);
}

/**
 * On the main thread, for a new event: a compact TokenIssued's body packed from its data and
 * metadata objects, as latin1 text (it crosses postMessage as cheaply as any short string), or
 * undefined for every other event and shape (its JSON goes to the writer). Packing the objects
 * spares the JSON text both ways: stringified here, parsed, packed and checked by unpacking on
 * the writer thread (BENCHMARKS.md, "Tenth round").
 */
export const packedTokenIssuedBody = (type: string, data: unknown, metadata: unknown): string | undefined =>
  type === 'TokenIssued' ? packTokenIssuedText(data, metadata, BODY_TOKEN_V1) : undefined;

/** On the writer thread: the body a row is stored with. */
export const wireRowBody = (row: WireRow): Buffer | string =>
  'body' in row ? Buffer.from(row.body, 'latin1') : encodeBody(row.data, row.metadata);

const unpacksTo = (packed: Buffer, data: string, metadata: string): boolean => {
  try {
    const unpacked = unpackTokenBody(packed);
    return unpacked.data === data && unpacked.metadata === metadata;
  } catch {
    return false;
  }
};

export function decodeBody(stored: Buffer | string): { data: string; metadata: string } {
  let text: string;
  if (typeof stored === 'string') text = stored;
  else if (stored[0] === BODY_TOKEN_V1) return unpackTokenBody(stored);
  else if (stored[0] === BODY_DEFLATE_V1) {
    text = inflateRawSync(stored.subarray(1), { dictionary: DICTIONARY_V1, windowBits: 10 }).toString('utf8');
  } else throw new Error(`event body in an unknown encoding (${stored[0]})`);
  const newline = text.indexOf('\n');
  return { data: text.slice(0, newline), metadata: text.slice(newline + 1) };
}

/** recordedAt (ISO-8601, as toISOString writes it) as epoch ms, and back. */
export const encodeRecordedAt = (iso: string): number => Date.parse(iso);
export const decodeRecordedAt = (ms: number): string => new Date(ms).toISOString();
