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
 * key order. The store packs a new TokenIssued from its objects on the main thread
 * (`packTokenIssued`, exact by construction, no JSON in between); JSON text from elsewhere (a
 * migration) goes through `packTokenBody`, and is stored packed only when it unpacks to exactly
 * the text given (rowCodec.ts).
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
    // One pass for the usual short string: written after a one-byte length, moved up when its
    // length needs more bytes (the buffer has room for the longest length).
    const start = this.offset;
    const length = this.buffer.write(value, start + 1, 'utf8');
    if (length < 0x80) {
      this.buffer[start] = length;
      this.offset = start + 1 + length;
      return;
    }
    let lengthBytes = 1;
    for (let v = length >>> 7; v > 0; v >>>= 7) lengthBytes += 1;
    this.buffer.copyWithin(start + lengthBytes, start + 1, start + 1 + length);
    this.varint(length);
    this.offset = start + lengthBytes + length;
  }
}

/** The packer's scratch buffer, grown when a body may not fit; bodies are copied out of it. */
let scratch = Buffer.allocUnsafe(16 * 1024);
const writerFor = (room: number): Writer => {
  if (room > scratch.length) scratch = Buffer.allocUnsafe(Math.max(room, 2 * scratch.length));
  return new Writer(scratch);
};

/**
 * The binary body of a compact TokenIssued's data and metadata JSON, after `marker` (the row
 * codec's byte), or undefined when it is not in the usual shape. The caller checks that it
 * unpacks to the same text (JSON text can say the same values in other ways: spaces, escapes).
 */
export function packTokenBody(dataJson: string, metadataJson: string, marker: number): Buffer | undefined {
  if (!dataJson.startsWith('{"j":"') || !metadataJson.startsWith('{"schemaVersion":2,"t":')) return undefined;
  return packTokenIssued(JSON.parse(dataJson), JSON.parse(metadataJson), marker);
}

/** Canonical base64url of 16 bytes: the last of 22 characters carries 2 bits and 4 zero bits. */
const BASE64URL_16 = /^[A-Za-z0-9_-]{21}[AQgw]$/;
/** Base64url of 24 bytes: 32 characters, no spare bits, so every such text is canonical. */
const BASE64URL_24 = /^[A-Za-z0-9_-]{32}$/;
const DATA_ORDER = ['j', 'c', 'g', 's', 'a', 'sc', 'e', 'f', 'o', 'p'];
const METADATA_ORDER = ['schemaVersion', 't', 'k', 'i', 'u'];

/** Own keys, each defined, in the order unpackTokenBody writes them (optional ones may be missing). */
const keysInOrder = (object: Record<string, unknown>, order: readonly string[]): boolean => {
  let next = 0;
  for (const key of Object.keys(object)) {
    while (next < order.length && order[next] !== key) next += 1;
    if (next === order.length || object[key] === undefined) return false;
    next += 1;
  }
  return true;
};
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
/** A string UTF-8 gives back as it was (no lone surrogate). */
const isText = (value: unknown): value is string =>
  typeof value === 'string' && (value as string & { isWellFormed(): boolean }).isWellFormed();
const isTextList = (value: unknown): value is string[] => {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype || value.length > 255) return false;
  for (let i = 0; i < value.length; i += 1) if (!isText(value[i])) return false; // a hole reads as undefined
  return true;
};

/**
 * A compact TokenIssued's data and metadata objects (compactTokenIssued's output) packed
 * straight away, without their JSON: the store does this on the main thread and the writer
 * stores the bytes. Exact by construction: only plain objects whose keys come in the order
 * unpackTokenBody writes them, canonical base64url ids, whole numbers in range and well-formed
 * strings are packed, so unpackTokenBody gives back JSON.stringify of exactly these values
 * (test/eventStore/sqliteTokenBody.test.ts checks this against random and hostile shapes).
 * Anything else: undefined (the caller stores the JSON as before).
 */
function packInto(data: unknown, metadata: unknown, marker: number): Writer | undefined {
  if (!isPlainObject(data) || !isPlainObject(metadata)) return undefined;
  if (!keysInOrder(data, DATA_ORDER) || !keysInOrder(metadata, METADATA_ORDER)) return undefined;
  const { j, c, g, s, a, sc, e, f, o, p } = data;
  const { schemaVersion, t, k, i, u } = metadata;
  if (schemaVersion !== 2) return undefined;
  if (typeof j !== 'string' || !BASE64URL_16.test(j) || typeof s !== 'string' || !BASE64URL_16.test(s)) return undefined;
  if (typeof k !== 'string' || !BASE64URL_16.test(k)) return undefined;
  if (!isText(c) || !isText(g) || !isSmallInt(e) || !isTextList(a)) return undefined;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= 2 ** 48) return undefined;
  if (sc !== undefined && !isText(sc)) return undefined;
  if (f !== undefined && (typeof f !== 'string' || !BASE64URL_16.test(f))) return undefined;
  if (o !== undefined && !isText(o)) return undefined;
  if (p !== undefined && (!isSmallInt(p) || p < 0)) return undefined;
  if ((i !== undefined && !isText(i)) || (u !== undefined && !isText(u))) return undefined;
  const packedClientId = BASE64URL_24.test(c);
  // Room enough: flags and marker, three ids, the time, the varints, and each string at its
  // longest as UTF-8 (3 bytes per UTF-16 unit) with a 5-byte length.
  let room = 2 + 48 + 6 + 2 * 5 + 1 + 16 + 6 * 5 + 3 * (c.length + g.length);
  for (const text of [sc, o, i, u]) if (text !== undefined) room += 3 * (text as string).length;
  for (const audience of a) room += 5 + 3 * audience.length;
  const w = writerFor(room);
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
  for (const audience of a) w.string(audience);
  if (sc !== undefined) w.string(sc as string);
  if (f !== undefined) w.base64url(f);
  if (o !== undefined) w.string(o as string);
  if (p !== undefined) w.varint(p);
  if (i !== undefined) w.string(i as string);
  if (u !== undefined) w.string(u as string);
  return w;
}

/**
 * A compact TokenIssued's data and metadata objects (compactTokenIssued's output) packed,
 * or undefined when they are not in the usual shape (packInto).
 */
export function packTokenIssued(data: unknown, metadata: unknown, marker: number): Buffer | undefined {
  const w = packInto(data, metadata, marker);
  return w === undefined ? undefined : Buffer.from(w.buffer.subarray(0, w.offset));
}

/** packTokenIssued as latin1 text (one byte a character): what the store sends its writer thread. */
export function packTokenIssuedText(data: unknown, metadata: unknown, marker: number): string | undefined {
  const w = packInto(data, metadata, marker);
  return w === undefined ? undefined : w.buffer.toString('latin1', 0, w.offset);
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
