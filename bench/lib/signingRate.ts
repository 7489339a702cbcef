import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { importSigningKey } from '../../src/keys/keyRing.js';

const ISSUER = 'http://127.0.0.1:8080';

/** Fresh claims shaped like a Tollgate access token's (four audiences, random ids). */
export function tollgateShapedClaims() {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    sub: randomUUID(),
    aud: [`${ISSUER}/admin`, `${ISSUER}/api`, `${ISSUER}/api/email`, `${ISSUER}/scim/v2`],
    client_id: 'bench-client-000000000001',
    org: randomUUID(),
    iat,
    exp: iat + 3600,
    jti: randomUUID(),
  };
}

/**
 * The physical limit of a JWT token endpoint: JWTs signed per second with the same key, jose
 * SignJWT over a WebCrypto key imported as Tollgate imports it, claims shaped like Tollgate's.
 * `inFlight` 1 is one signature at a time (one core); more lets Node's crypto thread pool
 * sign in parallel.
 */
export async function signingRate(options: {
  privateKey: KeyObject;
  kid: string;
  seconds: number;
  inFlight: number;
}): Promise<number> {
  const key = await importSigningKey(options.kid, options.privateKey);
  const header = { alg: key.alg, typ: 'at+jwt', kid: key.kid };
  const sign = () => new SignJWT(tollgateShapedClaims()).setProtectedHeader(header).sign(key.privateKey);
  for (let i = 0; i < 200; i += 1) await sign(); // warm-up
  let signed = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      await sign();
      signed += 1;
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, worker));
  return signed / ((performance.now() - started) / 1000);
}
