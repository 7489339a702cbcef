/**
 * `npx tsx bench/signerProbe.ts [--seconds 3] [--alg RS256|ES256]`
 *
 * How much of the event loop one access token's signature costs, and what signing in
 * parallel gives on this machine — for the cluster / worker-signing question. Same key, same
 * claims as Tollgate; two signers:
 *   jose      jose SignJWT over a WebCrypto CryptoKey (what Tollgate does today)
 *   node      node:crypto sign() with a callback over a KeyObject and a header encoded once
 * Both run the RSA/ECDSA math on libuv's thread pool; what differs is the main-thread work
 * per token (argument normalisation, encoding), measured as event-loop utilisation.
 */
import { sign as nodeSign, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { importSigningKey } from '../src/keys/keyRing.js';
import type { SigningAlg } from '../src/keys/keyAlgorithms.js';
import { createBenchKeys } from './lib/benchServers.js';
import { tollgateShapedClaims } from './lib/signingRate.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, alg: { type: 'string', default: 'RS256' } } });
const seconds = Number(values.seconds);
const alg = values.alg as SigningAlg;
const claims = tollgateShapedClaims;

function nodeSigner(kid: string, privateKey: KeyObject): () => Promise<string> {
  const header = Buffer.from(JSON.stringify({ alg, typ: 'at+jwt', kid })).toString('base64url');
  const digest = alg === 'EdDSA' ? null : 'sha256';
  const options = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const } : privateKey;
  return () =>
    new Promise((resolve, reject) => {
      const input = `${header}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}`;
      nodeSign(digest, Buffer.from(input), options, (error, signature) =>
        error ? reject(error) : resolve(`${input}.${signature.toString('base64url')}`),
      );
    });
}

async function measure(sign: () => Promise<string>, inFlight: number) {
  for (let i = 0; i < 200; i += 1) await sign();
  let signed = 0;
  const started = performance.now();
  const elu = performance.eventLoopUtilization();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      await sign();
      signed += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const used = performance.eventLoopUtilization(elu);
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: signed / elapsed, mainThreadMicros: (used.active * 1000) / signed };
}

const keys = await createBenchKeys(alg);
try {
  const key = await importSigningKey(keys.kid, keys.privateKey);
  const header = { alg: key.alg, typ: 'at+jwt', kid: key.kid };
  const signers = {
    jose: () => new SignJWT(claims()).setProtectedHeader(header).sign(key.privateKey),
    node: nodeSigner(keys.kid, keys.privateKey),
  };
  console.log(`${alg}, ${seconds} s per measurement`);
  for (const [name, sign] of Object.entries(signers)) {
    for (const inFlight of [1, 16]) {
      const r = await measure(sign, inFlight);
      console.log(
        `${name.padEnd(5)} ${String(inFlight).padStart(2)} in flight: ${r.perSecond.toFixed(0).padStart(6)} tokens/s, ` +
          `main thread ${r.mainThreadMicros.toFixed(0).padStart(4)} µs/token (caps the event loop at ${(1e6 / r.mainThreadMicros).toFixed(0)} tokens/s)`,
      );
    }
  }
} finally {
  await keys.remove();
}
