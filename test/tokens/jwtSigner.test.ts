import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { importSigningKey } from '../../src/keys/keyRing.js';
import type { SigningAlg } from '../../src/keys/keyAlgorithms.js';
import { createJwtSigner } from '../../src/tokens/jwtSigner.js';
import { createSigningPool } from '../../src/tokens/signingPool.js';

const pairs: Record<SigningAlg, () => ReturnType<typeof generateKeyPairSync>> = {
  RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: () => generateKeyPairSync('ed25519'),
};

describe('JWT signer (node:crypto on the thread pool)', () => {
  for (const alg of Object.keys(pairs) as SigningAlg[]) {
    it(`given a ${alg} key, when a payload is signed, then jose verifies the token with the public key`, async () => {
      const { privateKey, publicKey } = pairs[alg]();
      const signer = createJwtSigner(await importSigningKey('kid-1', privateKey), 'at+jwt');
      const token = await signer.sign({ sub: 'u1', iss: 'https://issuer.example', aud: ['a'], exp: Math.floor(Date.now() / 1000) + 60 });

      expect(decodeProtectedHeader(token)).to.deep.equal({ alg, typ: 'at+jwt', kid: 'kid-1' });
      const verifyKey = await importSPKI(publicKey.export({ format: 'pem', type: 'spki' }).toString(), alg);
      const { payload } = await jwtVerify(token, verifyKey, { issuer: 'https://issuer.example', audience: 'a', typ: 'at+jwt' });
      expect(payload.sub).to.equal('u1');
    });
  }

  it('given a tampered payload, then verification fails', async () => {
    const { privateKey, publicKey } = pairs.RS256();
    const token = await createJwtSigner(await importSigningKey('k', privateKey), 'at+jwt').sign({ sub: 'u1' });
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url')}.${s}`;
    const verifyKey = await importSPKI(publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'RS256');
    let failed = false;
    await jwtVerify(forged, verifyKey).catch(() => (failed = true));
    expect(failed).to.equal(true);
  });

  for (const alg of Object.keys(pairs) as SigningAlg[]) {
    it(`given a ${alg} key and signing threads, when many payloads are signed at once, then every token verifies`, async () => {
      const { privateKey, publicKey } = pairs[alg]();
      const pool = createSigningPool(await importSigningKey('kid-2', privateKey), 2);
      try {
        const signer = createJwtSigner(await importSigningKey('kid-2', privateKey), 'at+jwt', pool);
        const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => signer.sign({ sub: `u${i}` })));
        const verifyKey = await importSPKI(publicKey.export({ format: 'pem', type: 'spki' }).toString(), alg);
        const subjects = await Promise.all(tokens.map(async (t) => (await jwtVerify(t, verifyKey, { typ: 'at+jwt' })).payload.sub));
        expect(subjects).to.deep.equal(Array.from({ length: 50 }, (_, i) => `u${i}`));
      } finally {
        await pool.close();
      }
    });
  }

  it('given a closed pool, then signing is refused', async () => {
    const pool = createSigningPool(await importSigningKey('k', pairs.ES256().privateKey), 1);
    await pool.close();
    let error: unknown;
    await pool.sign('a.b').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(Error);
  });

  it('given signatures that fail in the thread, then each request of the batch is rejected with the reason, while a good key signs each of its batch', async () => {
    const key = await importSigningKey('k', pairs.EdDSA().privateKey);
    // An Ed25519 key told to sign with SHA-256, as ES256 would: OpenSSL refuses it in the thread.
    const pool = createSigningPool({ ...key, alg: 'ES256' }, 1);
    try {
      const outcomes = await Promise.allSettled(['a.b', 'c.d', 'e.f'].map((input) => pool.sign(input)));
      for (const outcome of outcomes) {
        expect(outcome.status).to.equal('rejected');
        expect(String((outcome as PromiseRejectedResult).reason)).to.match(/signing failed: .*digest/);
      }
    } finally {
      await pool.close();
    }
    const good = createSigningPool(key, 1);
    try {
      const signatures = await Promise.all(['a.b', 'c.d', 'e.f'].map((input) => good.sign(input)));
      expect(new Set(signatures).size).to.equal(3);
    } finally {
      await good.close();
    }
  });
});
