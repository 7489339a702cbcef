/**
 * A compact `TokenIssued` (tokenIssuedCompact.ts) as a short binary body, for the rows of the
 * embedded store (rowCodec.ts, marker BODY_TOKEN_V1). One such row is written per access token:
 * deflating its ~330 bytes of JSON cost the writer thread ~13 µs per token, most of it zlib's
 * per-call setup and Huffman trees; this packs the same fields in ~2 µs, to about the size
 * deflate reached (UUIDs as 16 bytes, the client id as 24, the time as 6, strings with a
 * length byte, no keys).
 *
 * Only the usual shape is packed: a body with any other key or type is not (the caller deflates
 * it as before). `unpackTokenBody` writes JSON.stringify of the values in compactTokenIssued's
 * key order; the caller stores a packed body only when that gives back exactly the text it was
 * given (a key order, a number or a base64url text that would not round-trip is caught there).
 *
 * Layout: flags (1 byte), j, s, k (16 bytes each), t (6 bytes, epoch ms), e (zigzag varint),
 * c (24 bytes, or a string), g, a (count, then each), then, as the flags say, sc, f (16 bytes),
 * o, p (varint), i, u. A string is a varint byte length and its UTF-8.
 */

const HAS_SCOPE = 1;
const HAS_FAMILY = 2;
const HAS_CODE = 4;
const HAS_PREVIOUS_SECRET = 8;
const HAS_IP = 16;
const HAS_USER_AGENT = 32;
const PACKED_CLIENT_ID = 64;

const DATA_KEYS = new Set(['j', 'c', 'g', 's', 'a', 'sc', 'e', 'f', 'o', 'p']);

/** Could be `bytes` bytes as base64url (whether it is, the caller's check of the unpacked text tells). */
const packsTo = (value: unknown, length: number): value is string => typeof value === 'string' && value.length === length;

const isSmallInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31;

class Writer {
  offset = 0;
  constructor(readonly buffer: Buffer) {}
  byte(value: number): void {
    this.buffer[this.offset++] = value;
  }
  varint(value: number): void {
    let v = value >>> 0;
    while (v >= 0x80) {
      this.byte((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.byte(v);
  }
  base64url(value: string): void {
    this.offset += this.buffer.write(value, this.offset, 'base64url');
  }
  string(value: string): void {
    this.varint(Buffer.byteLength(value, 'utf8'));
    this.offset += this.buffer.write(value, this.offset, 'utf8');
  }
}

/**
 * The binary body of a compact TokenIssued's data and metadata JSON, after `marker` (the row
 * codec's byte), or undefined when it is not in the usual shape.
 */
export function packTokenBody(dataJson: string, metadataJson: string, marker: number): Buffer | undefined {
  if (!dataJson.startsWith('{"j":"') || !metadataJson.startsWith('{"schemaVersion":2,"t":')) return undefined;
  const data = JSON.parse(dataJson) as Record<string, unknown>;
  const metadata = JSON.parse(metadataJson) as Record<string, unknown>;
  for (const key in data) if (!DATA_KEYS.has(key)) return undefined;
  const { j, c, g, s, a, sc, e, f, o, p } = data;
  const { t, k, i, u } = metadata;
  const metadataKeys = Object.keys(metadata).length;
  if (metadataKeys !== 3 + (i !== undefined ? 1 : 0) + (u !== undefined ? 1 : 0)) return undefined;
  if (!packsTo(j, 22) || !packsTo(s, 22) || !packsTo(k, 22)) return undefined;
  if (typeof c !== 'string' || typeof g !== 'string' || !isSmallInt(e)) return undefined;
  if (!Array.isArray(a) || a.length > 255 || !a.every((x) => typeof x === 'string')) return undefined;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= 2 ** 48) return undefined;
  if (sc !== undefined && typeof sc !== 'string') return undefined;
  if (f !== undefined && !packsTo(f, 22)) return undefined;
  if (o !== undefined && typeof o !== 'string') return undefined;
  if (p !== undefined && (!isSmallInt(p) || p < 0)) return undefined;
  if ((i !== undefined && typeof i !== 'string') || (u !== undefined && typeof u !== 'string')) return undefined;
  const packedClientId = packsTo(c, 32);
  // Never longer than the JSON (every field is shorter than its key and value there): room for it as UTF-8.
  const w = new Writer(Buffer.allocUnsafe(3 * (dataJson.length + metadataJson.length) + 16));
  w.byte(marker);
  w.byte(
    (sc !== undefined ? HAS_SCOPE : 0) |
      (f !== undefined ? HAS_FAMILY : 0) |
      (o !== undefined ? HAS_CODE : 0) |
      (p !== undefined ? HAS_PREVIOUS_SECRET : 0) |
      (i !== undefined ? HAS_IP : 0) |
      (u !== undefined ? HAS_USER_AGENT : 0) |
      (packedClientId ? PACKED_CLIENT_ID : 0),
  );
  w.base64url(j);
  w.base64url(s);
  w.base64url(k);
  w.buffer.writeUIntBE(t, w.offset, 6);
  w.offset += 6;
  w.varint(e >= 0 ? e * 2 : -e * 2 - 1);
  if (packedClientId) w.base64url(c);
  else w.string(c);
  w.string(g);
  w.byte(a.length);
  for (const audience of a as string[]) w.string(audience);
  if (sc !== undefined) w.string(sc);
  if (f !== undefined) w.base64url(f);
  if (o !== undefined) w.string(o);
  if (p !== undefined) w.varint(p);
  if (i !== undefined) w.string(i);
  if (u !== undefined) w.string(u);
  return w.buffer.subarray(0, w.offset);
}

/** The data and metadata JSON of a body packed by packTokenBody (`body` with the row's marker byte). */
export function unpackTokenBody(body: Buffer): { data: string; metadata: string } {
  let offset = 1;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = body[offset++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  const base64url = (length: number): string => body.toString('base64url', offset, (offset += length));
  // As JSON (quoted, escaped): JSON.stringify of one string is cheap; of an object, less so.
  const string = (): string => {
    const length = varint();
    return JSON.stringify(body.toString('utf8', offset, (offset += length)));
  };
  const flags = body[offset++]!;
  const j = base64url(16);
  const s = base64url(16);
  const k = base64url(16);
  const t = body.readUIntBE(offset, 6);
  offset += 6;
  const zigzag = varint();
  const e = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  const c = flags & PACKED_CLIENT_ID ? `"${base64url(24)}"` : string();
  const g = string();
  let a = '';
  for (let count = body[offset++]!; count > 0; count -= 1) a += a === '' ? string() : `,${string()}`;
  let data = `{"j":"${j}","c":${c},"g":${g},"s":"${s}","a":[${a}]`;
  if (flags & HAS_SCOPE) data += `,"sc":${string()}`;
  data += `,"e":${e}`;
  if (flags & HAS_FAMILY) data += `,"f":"${base64url(16)}"`;
  if (flags & HAS_CODE) data += `,"o":${string()}`;
  if (flags & HAS_PREVIOUS_SECRET) data += `,"p":${varint()}`;
  let metadata = `{"schemaVersion":2,"t":${t},"k":"${k}"`;
  if (flags & HAS_IP) metadata += `,"i":${string()}`;
  if (flags & HAS_USER_AGENT) metadata += `,"u":${string()}`;
  if (offset !== body.length) throw new Error('token body: trailing bytes');
  return { data: `${data}}`, metadata: `${metadata}}` };
}
