/**
 * The floor of a token endpoint on this machine, for comparison only (bench/floorProbe.ts,
 * `npm run bench`): node:http answering POST /token with a ~1 KB JSON body, modes chosen by
 * FLOOR_MODE:
 *   http   — read the body, answer a fixed body: no signing, no storage (HTTP alone);
 *   sign   — also sign a fresh RS256 JWS with the key in BENCH_JWK_FILE, like the peer does
 *            (node:crypto's callback sign on libuv's thread pool), nothing stored;
 *   store  — sign as `sign` and, at the same time, append one row per token to a SQLite file
 *            (WAL, synchronous=FULL: fsynced before the answer) on a writer thread, group-
 *            committed with one batch in flight; answered when both are done. The row holds the
 *            claims, address and user agent as JSON, near the size of Tollgate's packed
 *            TokenIssued row: the least a server that records every token durably before
 *            answering can do here (BENCHMARKS.md, "Ninth round").
 * FLOOR_HEADERS chooses the response headers (below). Prints `READY <url>`; SIGTERM stops it (a
 * `store` file is removed).
 */
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const mode = process.env.FLOOR_MODE ?? 'http';
if (!['http', 'sign', 'store'].includes(mode)) throw new Error(`FLOOR_MODE must be http, sign or store (got ${mode})`);
const key = mode !== 'http' ? createPrivateKey({ key: JSON.parse(readFileSync(process.env.BENCH_JWK_FILE, 'utf8')), format: 'jwk' }) : undefined;
const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'floor' })).toString('base64url');
const fixed = JSON.stringify({ access_token: 'x'.repeat(900), token_type: 'Bearer', expires_in: 3600 });

// FLOOR_HEADERS (any mode): `few` (default) the 3 headers above; `object` / `list` Tollgate's 11
// (src/http/securityHeaders.ts, correlation id, caching) as an object built by spreading, as
// Tollgate wrote them before, or as the flat list it writes now.
const SECURITY = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Strict-Transport-Security': 'max-age=31536000',
};
const SECURITY_LIST = Object.entries(SECURITY).flat();
const headerStyle = process.env.FLOOR_HEADERS ?? 'few';
if (!['few', 'object', 'list'].includes(headerStyle)) throw new Error(`FLOOR_HEADERS must be few, object or list (got ${headerStyle})`);
const JSON_TYPE = 'application/json; charset=utf-8';

const answer = (res, body) => {
  const length = String(Buffer.byteLength(body));
  if (headerStyle === 'few') res.writeHead(200, { 'content-type': JSON_TYPE, 'cache-control': 'no-store', 'content-length': length });
  else if (headerStyle === 'object') {
    const headers = { 'X-Correlation-Id': randomUUID() };
    Object.assign(headers, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    res.writeHead(200, { ...SECURITY, ...headers, 'Content-Length': length, 'Content-Type': JSON_TYPE });
  } else {
    const headers = ['X-Correlation-Id', randomUUID(), 'Cache-Control', 'no-store', 'Pragma', 'no-cache'];
    res.writeHead(200, [...SECURITY_LIST, ...headers, 'Content-Length', length, 'Content-Type', JSON_TYPE]);
  }
  res.end(body);
};

// The writer thread of `store`: one transaction (one fsync) per batch it is sent.
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS tokens (position INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, recorded_at INTEGER NOT NULL, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO tokens (id, recorded_at, body) VALUES (?, ?, ?)');
const write = db.transaction((rows, now) => { for (const [id, body] of rows) insert.run(Buffer.from(id.replaceAll('-', ''), 'hex'), now, body); });
parentPort.on('message', (rows) => {
  try { write.immediate(rows, Date.now()); parentPort.postMessage(null); }
  catch (error) { parentPort.postMessage(String(error && error.message || error)); }
});
`;

const createStore = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-floor-'));
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const writer = new Worker(WRITER_SOURCE, { eval: true, workerData: { sqlite, file: join(dir, 'floor.db') } });
  let queue = [];
  let inFlight; // the callbacks of the batch being committed
  let scheduled = false;
  const sendNext = () => {
    scheduled = false;
    if (inFlight || queue.length === 0) return;
    inFlight = queue;
    queue = [];
    writer.postMessage(inFlight.map(([id, body]) => [id, body]));
  };
  writer.on('message', (error) => {
    const done = inFlight;
    inFlight = undefined;
    for (const entry of done) entry[2](error);
    if (queue.length > 0 && !scheduled) {
      scheduled = true;
      setImmediate(sendNext);
    }
  });
  return {
    append(id, body, callback) {
      queue.push([id, body, callback]);
      if (!inFlight && !scheduled) {
        scheduled = true;
        setImmediate(sendNext);
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};
const store = mode === 'store' ? createStore() : undefined;

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    if (!key) return answer(res, fixed);
    const iat = Math.floor(Date.now() / 1000);
    const claims = { iss: 'http://floor', sub: 'client', aud: ['urn:api'], client_id: 'client', iat, exp: iat + 3600, jti: randomUUID() };
    const payload = JSON.stringify(claims);
    const input = `${header}.${Buffer.from(payload).toString('base64url')}`;
    let waiting = store ? 2 : 1;
    let failed = false;
    let token;
    const done = (error) => {
      failed ||= Boolean(error);
      if (--waiting > 0) return;
      if (failed) res.writeHead(500).end();
      else answer(res, JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
    };
    if (store) {
      // What an audit row holds beyond the claims: the client's address and user agent.
      const row = JSON.stringify({ ...claims, ip: req.socket.remoteAddress, userAgent: req.headers['user-agent'] ?? null });
      store.append(claims.jti, row, done);
    }
    sign('sha256', Buffer.from(input), key, (error, signature) => {
      if (!error) token = `${input}.${signature.toString('base64url')}`;
      done(error);
    });
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`READY http://127.0.0.1:${process.env.PORT}`));
process.on('SIGTERM', () =>
  server.close(() => {
    store?.remove();
    process.exit(0);
  }),
);
