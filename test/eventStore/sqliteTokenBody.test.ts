import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import type { TokenIssued } from '../../src/domain/tokens/tokenEvents.js';
import { toTokensStreamName } from '../../src/domain/shared/streamNames.js';
import { toEventMetadata } from '../../src/eventStore/eventMetadata.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { decodeBody, encodeBody, packedTokenIssuedBody, wireRowBody } from '../../src/eventStore/sqlite/rowCodec.js';
import { compactTokenIssued } from '../../src/eventStore/upcasters/tokenIssuedCompact.js';
import { clientMetadata, type RequestInfo } from '../../src/tokens/requestInfo.js';
import { createTokenAudit } from '../../src/tokens/tokenAudit.js';
import { createTempDir } from '../support/tempDir.js';

const issuer = 'https://tollgate.example.com';
const tokenData = (overrides: Partial<TokenIssued['data']> = {}): TokenIssued['data'] => ({
  jti: randomUUID(),
  applicationId: randomUUID(),
  clientId: randomBytes(24).toString('base64url'),
  grant: 'client_credentials',
  sub: randomUUID(),
  aud: ['/admin', '/api', '/api/email'].map((path) => issuer + path),
  scope: 'orders:read orders:write',
  exp: Math.floor(Date.now() / 1000) + 300,
  ...overrides,
});
const request = (overrides: Partial<RequestInfo> = {}): RequestInfo => ({
  correlationId: randomUUID(),
  ip: '203.0.113.42',
  userAgent: 'python-requests/2.32.3',
  ...overrides,
});
/** The objects the store is handed for a compact TokenIssued. */
const compactObjects = (data: TokenIssued['data'], info: RequestInfo = request(), now = new Date()) => {
  const compact = compactTokenIssued(data, toEventMetadata('TokenIssued', clientMetadata(data, info, now)));
  return { data: compact.data as unknown as Record<string, unknown>, metadata: compact.metadata as unknown as Record<string, unknown> };
};
/** The JSON text the store hands the row codec for a compact TokenIssued. */
const compactText = (data: TokenIssued['data'], info: RequestInfo = request(), now = new Date()) => {
  const compact = compactObjects(data, info, now);
  return { data: JSON.stringify(compact.data), metadata: JSON.stringify(compact.metadata) };
};
/** What the writer stores for the objects packed on the main thread, or undefined when they are not packed. */
const packedOnMain = (data: unknown, metadata: unknown): Buffer | string | undefined => {
  const body = packedTokenIssuedBody('TokenIssued', data, metadata);
  return body === undefined ? undefined : wireRowBody({ id: 'x', type: 'TokenIssued', body });
};
/** TokenIssued data and request info in every usual shape: optional fields, odd strings, a long one. */
const usualShapes = (): Array<[TokenIssued['data'], RequestInfo?]> => [
  [tokenData()],
  [tokenData({ scope: '' })],
  [tokenData({ aud: [] })],
  [tokenData({ familyId: randomUUID(), grant: 'refresh_token' })],
  [tokenData({ codeId: 'abcdefghijkl', grant: 'authorization_code' })],
  [tokenData({ previousSecret: 1 })],
  [tokenData({ clientId: 'my-own-client-id "quoted" é 🎉' })],
  [tokenData(), request({ ip: undefined, userAgent: undefined })],
  [tokenData(), request({ userAgent: 'Mozilla/5.0 "x" \\ ü \u2028 \u0000 🎉' })],
  [tokenData({ exp: 0 })],
  [tokenData(), request({ userAgent: `${'ü'.repeat(200)} longer than 127 bytes` })],
];
const marker = (body: Buffer | string): number | 'text' => (typeof body === 'string' ? 'text' : body[0]!);
const PACKED = 2;
const DEFLATED = 1;

describe('SQLite event store: TokenIssued bodies packed without deflate', function () {
  it('given compact TokenIssued bodies in their usual shapes, when encoded, then each is packed (no deflate) and reads back as exactly the same text', function () {
    const cases = usualShapes().map(([data, info]) => compactText(data, info));
    for (const { data, metadata } of cases) {
      const body = encodeBody(data, metadata);
      expect(marker(body), data).to.equal(PACKED);
      expect(decodeBody(body)).to.deep.equal({ data, metadata });
    }
  });

  it('given bodies the packed form does not cover exactly, when encoded, then they are deflated as every body was before (the rows of earlier releases) and read back as exactly the same text', function () {
    const usual = compactText(tokenData());
    const other = (data: Record<string, unknown>, metadata: Record<string, unknown>) => ({
      data: JSON.stringify({ ...JSON.parse(usual.data), ...data }),
      metadata: JSON.stringify({ ...JSON.parse(usual.metadata), ...metadata }),
    });
    const cases = [
      // metadata the compact form keeps as it is (a causation id)
      other({}, { causationId: randomUUID() }),
      // ids that are not UUIDs, kept under their raw keys
      compactText(tokenData({ jti: 'not-a-uuid', sub: 'user@example.com' })),
      // 22 characters that are not the canonical base64url of 16 bytes
      other({ j: 'AAAAAAAAAAAAAAAAAAAAAB' }, {}),
      // a lone surrogate does not survive UTF-8
      other({}, { u: 'broken \ud800 agent' }),
      // keys in another order than compactTokenIssued writes
      { data: JSON.stringify({ c: 'x', ...JSON.parse(usual.data) }), metadata: usual.metadata },
      // numbers the packed form does not hold
      other({ e: 2 ** 40 }, {}),
      other({ e: 1.5 }, {}),
      other({}, { t: -1 }),
    ];
    for (const { data, metadata } of cases) {
      const body = encodeBody(data, metadata);
      expect(marker(body), `${data}\n${metadata}`).to.equal(DEFLATED);
      expect(decodeBody(body)).to.deep.equal({ data, metadata });
    }
  });

  it('given tokens audited into the store, then the rows are packed, under 70% of their JSON text, and read back as the full TokenIssued', async function () {
    const dir = await createTempDir('tollgate-token-body-');
    try {
      const store = createSqliteEventStore({ file: dir.file('events.sqlite'), retentionIntervalMs: 0 });
      const audit = createTokenAudit({ store, retentionSeconds: 3600 });
      const data = tokenData();
      const info = request();
      const now = new Date('2026-12-01T10:00:00.123Z');
      await audit.issued(data, info, now);
      const [event] = await store.readStream(toTokensStreamName(data.applicationId));
      await store.close();

      expect(event!.data).to.deep.equal(data);
      expect(event!.metadata).to.include({
        occurredAt: now.toISOString(),
        correlationId: info.correlationId,
        ip: info.ip,
        userAgent: info.userAgent,
        actor: `client:${data.clientId}`,
      });
      const db = new Database(dir.file('events.sqlite'), { readonly: true });
      const body = db.prepare("SELECT body FROM events WHERE type = (SELECT id FROM event_types WHERE name = 'TokenIssued')").pluck().get() as Buffer;
      db.close();
      expect(body[0]).to.equal(PACKED);
      const { data: dataText, metadata: metadataText } = compactText(data, info, now);
      expect(body.length).to.be.below(Buffer.byteLength(`${dataText}\n${metadataText}`) * 0.7);
    } finally {
      await dir.remove();
    }
  });

  it('given compact TokenIssued objects in their usual shapes, when packed on the main thread, then each is packed and reads back as exactly their JSON text', function () {
    const cases = usualShapes().map(([data, info]) => compactObjects(data, info));
    for (const { data, metadata } of cases) {
      const body = packedOnMain(data, metadata);
      expect(body, JSON.stringify(data)).to.not.equal(undefined);
      expect(marker(body!)).to.equal(PACKED);
      expect(decodeBody(body!)).to.deep.equal({ data: JSON.stringify(data), metadata: JSON.stringify(metadata) });
    }
  });

  it('given objects whose JSON the packed form would not give back exactly (hostile or unusual shapes), when packed on the main thread, then none is packed', function () {
    const usual = () => compactObjects(tokenData());
    const withData = (change: (data: Record<string, unknown>) => void) => {
      const { data, metadata } = usual();
      change(data);
      return { data, metadata };
    };
    const withMetadata = (change: (metadata: Record<string, unknown>) => void) => {
      const { data, metadata } = usual();
      change(metadata);
      return { data, metadata };
    };
    const holey = ['https://a.example'];
    holey.length = 2;
    class Audiences extends Array<string> {
      toJSON() {
        return 'not a list';
      }
    }
    const cases: Record<string, { data: unknown; metadata: unknown }> = {
      'an unknown data key': withData((d) => (d.x = 1)),
      'an unknown metadata key': withMetadata((m) => (m.causationId = randomUUID())),
      'keys in another order': withData((d) => {
        const { j } = d;
        delete d.j;
        d.j = j;
      }),
      'a key whose value is undefined (JSON leaves it out)': withData((d) => (d.sc = undefined)),
      'an id that is not canonical base64url': withData((d) => (d.j = 'AAAAAAAAAAAAAAAAAAAAAB')),
      'an id of another length': withMetadata((m) => (m.k = 'short')),
      'a lone surrogate in a string': withMetadata((m) => (m.u = 'broken \ud800 agent')),
      'a lone surrogate in an audience': withData((d) => (d.a = ['https://x.example/\udc00'])),
      'a hole in the audiences (JSON: null)': withData((d) => (d.a = holey)),
      'audiences of an array class with its own JSON': withData((d) => (d.a = Audiences.from(['https://a.example']))),
      'an audience that is not a string': withData((d) => (d.a = [42])),
      'more than 255 audiences': withData((d) => (d.a = Array.from({ length: 256 }, (_, i) => `https://${i}.example`))),
      'an expiry out of range': withData((d) => (d.e = 2 ** 40)),
      'a fractional expiry': withData((d) => (d.e = 1.5)),
      'a negative previous secret': withData((d) => (d.p = -1)),
      'a time before 1970': withMetadata((m) => (m.t = -1)),
      'a time given as text': withMetadata((m) => (m.t = '1764583200000')),
      'another schema version': withMetadata((m) => (m.schemaVersion = 1)),
      'data with toJSON': withData((d) => Object.setPrototypeOf(d, { toJSON: () => ({}) })),
      'metadata without a prototype': withMetadata((m) => Object.setPrototypeOf(m, null)),
      'the full (version 1) shape': { data: tokenData(), metadata: toEventMetadata('TokenIssued', clientMetadata(tokenData(), request(), new Date())) },
      'data that is not an object': { data: 'text', metadata: usual().metadata },
    };
    for (const [name, { data, metadata }] of Object.entries(cases)) {
      expect(packedTokenIssuedBody('TokenIssued', data, metadata), name).to.equal(undefined);
    }
    const { data, metadata } = usual();
    expect(packedTokenIssuedBody('TokenRevoked', data, metadata), 'another event type').to.equal(undefined);
  });

  it('given random compact TokenIssued objects with odd strings, when packed on the main thread, then each one packed reads back as exactly its JSON text', function () {
    const odd = ['', '"', '\\', '\u0000', '\u2028', 'é', '🎉', '\ud83c', 'a'.repeat(300), '\u007f\u0080', '<script>'];
    const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)]!;
    let packed = 0;
    for (let n = 0; n < 500; n += 1) {
      const text = () => `${pick(odd)}${pick(odd)}`;
      const data = tokenData({
        clientId: Math.random() < 0.5 ? randomBytes(24).toString('base64url') : text(),
        aud: Array.from({ length: Math.floor(Math.random() * 4) }, () => `${issuer}/${text()}`),
        scope: Math.random() < 0.3 ? '' : text(),
        exp: Math.floor(Date.now() / 1000) + Math.floor(Math.random() * 1e6) - 5e5,
        ...(Math.random() < 0.3 ? { familyId: randomUUID() } : {}),
        ...(Math.random() < 0.2 ? { codeId: text() } : {}),
        ...(Math.random() < 0.2 ? { previousSecret: 1 + Math.floor(Math.random() * 3) } : {}),
      });
      const info = request({ ip: Math.random() < 0.5 ? text() : undefined, userAgent: Math.random() < 0.5 ? text() : undefined });
      const { data: compactData, metadata } = compactObjects(data, info, new Date(Math.floor(Math.random() * 2 ** 42)));
      const body = packedOnMain(compactData, metadata);
      if (body === undefined) continue;
      packed += 1;
      expect(decodeBody(body)).to.deep.equal({ data: JSON.stringify(compactData), metadata: JSON.stringify(metadata) });
    }
    expect(packed).to.be.above(100);
  });

  it('given TokenIssued events the main thread does not pack, when appended, then the store keeps them as JSON and reads them back as they were', async function () {
    const dir = await createTempDir('tollgate-token-body-');
    try {
      const store = createSqliteEventStore({ file: dir.file('events.sqlite'), retentionIntervalMs: 0 });
      const { data, metadata } = compactObjects(tokenData());
      const events = [
        { data: { ...data, x: 'an extra field' }, metadata },
        { data, metadata: { ...metadata, u: 'broken \ud800 agent' } },
      ];
      const stream = toTokensStreamName(randomUUID());
      await store.appendToStream(stream, events.map((e) => ({ id: randomUUID(), type: 'TokenIssued', data: e.data, metadata: e.metadata as never })));
      const read = await store.readStream(stream);
      await store.close();
      const db = new Database(dir.file('events.sqlite'), { readonly: true });
      const bodies = db.prepare('SELECT body FROM events ORDER BY position').pluck().all() as Array<Buffer | string>;
      db.close();
      expect(bodies.map(marker)).to.not.include(PACKED);
      expect(bodies.map(decodeBody)).to.deep.equal(events.map((e) => ({ data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) })));
      expect(read).to.have.length(2);
    } finally {
      await dir.remove();
    }
  });
});
