import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import type { TokenIssued } from '../../src/domain/tokens/tokenEvents.js';
import { toTokensStreamName } from '../../src/domain/shared/streamNames.js';
import { toEventMetadata } from '../../src/eventStore/eventMetadata.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { decodeBody, encodeBody } from '../../src/eventStore/sqlite/rowCodec.js';
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
/** The JSON text the store hands the row codec for a compact TokenIssued. */
const compactText = (data: TokenIssued['data'], info: RequestInfo = request(), now = new Date()) => {
  const compact = compactTokenIssued(data, toEventMetadata('TokenIssued', clientMetadata(data, info, now)));
  return { data: JSON.stringify(compact.data), metadata: JSON.stringify(compact.metadata) };
};
const marker = (body: Buffer | string): number | 'text' => (typeof body === 'string' ? 'text' : body[0]!);
const PACKED = 2;
const DEFLATED = 1;

describe('SQLite event store: TokenIssued bodies packed without deflate', function () {
  it('given compact TokenIssued bodies in their usual shapes, when encoded, then each is packed (no deflate) and reads back as exactly the same text', function () {
    const cases = [
      compactText(tokenData()),
      compactText(tokenData({ scope: '' })),
      compactText(tokenData({ aud: [] })),
      compactText(tokenData({ familyId: randomUUID(), grant: 'refresh_token' })),
      compactText(tokenData({ codeId: 'abcdefghijkl', grant: 'authorization_code' })),
      compactText(tokenData({ previousSecret: 1 })),
      compactText(tokenData({ clientId: 'my-own-client-id "quoted" é 🎉' })),
      compactText(tokenData(), request({ ip: undefined, userAgent: undefined })),
      compactText(tokenData(), request({ userAgent: 'Mozilla/5.0 "x" \\ ü \u2028' })),
      compactText(tokenData({ exp: 0 })),
    ];
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
});
