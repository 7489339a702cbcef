/**
 * The floor of a token endpoint on this machine, for comparison only (bench/floorProbe.ts):
 * node:http answering POST /token with a ~1 KB JSON body, modes chosen by FLOOR_MODE:
 *   http  — read the body, answer a fixed body: no signing, no storage (HTTP alone);
 *   sign  — also sign a fresh RS256 JWS with the key in BENCH_JWK_FILE, like the peer does
 *           (node:crypto's callback sign on libuv's thread pool), nothing stored.
 * Prints `READY <url>`; SIGTERM stops it.
 */
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const mode = process.env.FLOOR_MODE ?? 'http';
const key = mode === 'sign' ? createPrivateKey({ key: JSON.parse(readFileSync(process.env.BENCH_JWK_FILE, 'utf8')), format: 'jwk' }) : undefined;
const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'floor' })).toString('base64url');
const fixed = JSON.stringify({ access_token: 'x'.repeat(900), token_type: 'Bearer', expires_in: 3600 });

const answer = (res, body) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    if (!key) return answer(res, fixed);
    const iat = Math.floor(Date.now() / 1000);
    const claims = { iss: 'http://floor', sub: 'client', aud: ['urn:api'], client_id: 'client', iat, exp: iat + 3600, jti: randomUUID() };
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    sign('sha256', Buffer.from(input), key, (error, signature) => {
      if (error) {
        res.writeHead(500).end();
        return;
      }
      answer(res, JSON.stringify({ access_token: `${input}.${signature.toString('base64url')}`, token_type: 'Bearer', expires_in: 3600 }));
    });
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`READY http://127.0.0.1:${process.env.PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
