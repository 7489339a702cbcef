import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { SignJWT, jwtVerify, createLocalJWKSet } from 'jose';
import { createKeys, loadOrCreateKeys, rotateKeys } from '../../src/keys/keyStore.js';
import { KEYS_UNAVAILABLE_WARNING } from '../../src/keys/keyRing.js';
import { privateKeyFile } from '../../src/keys/keyManifest.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';

const run = promisify(execFile);

describe('signing keys (KEYS_DIR)', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await createTempDir('tollgate-keys-');
  });
  afterEach(() => dir.remove());

  it('in development, generates a missing RSA 2048 pair with the private key at mode 0600', async () => {
    const ring = await loadOrCreateKeys({ dir: dir.path, production: false });
    expect(ring.status).to.deep.equal({ available: true, warnings: [] });
    const kid = ring.signingKey!.kid;
    expect(ring.signingKey!.alg).to.equal('RS256');
    expect(statSync(privateKeyFile(dir.path, kid)).mode & 0o777).to.equal(0o600);
    expect(ring.jwks.keys[0]).to.include({ kid, kty: 'RSA', alg: 'RS256' });
    expect(Buffer.from(ring.jwks.keys[0]!.n!, 'base64url').length * 8).to.equal(2048);
    const again = await loadOrCreateKeys({ dir: dir.path, production: false });
    expect(again.signingKey!.kid, 'an existing pair is reused').to.equal(kid);
  });

  it('in production, never generates: unavailable with the Oro warning', async () => {
    const ring = await loadOrCreateKeys({ dir: dir.path, production: true });
    expect(ring.status.available).to.equal(false);
    expect(ring.status.warnings[0]).to.equal(KEYS_UNAVAILABLE_WARNING);
    expect(existsSync(dir.file('keys.json'))).to.equal(false);
  });

  it('in production, loads keys made by keys:generate', async () => {
    await createKeys(dir.path);
    const ring = await loadOrCreateKeys({ dir: dir.path, production: true });
    expect(ring.status.available).to.equal(true);
  });

  it('warns when the private key is readable by group or others', async () => {
    const kid = await createKeys(dir.path);
    chmodSync(privateKeyFile(dir.path, kid), 0o644);
    const ring = await loadOrCreateKeys({ dir: dir.path, production: true });
    expect(ring.status.available).to.equal(true);
    expect(ring.status.warnings.join('\n')).to.match(/readable by group or others \(mode 0644\)/);
  });

  it('a broken manifest or missing key file makes keys unavailable with a reason, never a crash', async () => {
    writeFileSync(dir.file('keys.json'), '{not json');
    const broken = await loadOrCreateKeys({ dir: dir.path, production: false });
    expect(broken.status.available).to.equal(false);
    expect(broken.status.warnings.join('\n')).to.include('keys.json is not valid JSON');
    writeFileSync(dir.file('keys.json'), JSON.stringify({ active: 'missing', retiring: [] }));
    const missing = await loadOrCreateKeys({ dir: dir.path, production: false });
    expect(missing.status.available).to.equal(false);
  });

  for (const alg of ['ES256', 'EdDSA'] as const) {
    it(`supports ${alg}`, async () => {
      const ring = await loadOrCreateKeys({ dir: dir.path, production: false, alg });
      expect(ring.signingKey!.alg).to.equal(alg);
      const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg, kid: ring.signingKey!.kid }).sign(ring.signingKey!.privateKey);
      await jwtVerify(token, createLocalJWKSet(ring.jwks));
    });
  }

  it('rotation: a new key signs, the old public key stays in the JWKS until its tokens expire, then is pruned', async () => {
    const start = Date.parse('2030-01-01T00:00:00Z');
    const first = await createKeys(dir.path);
    const oldRing = await loadOrCreateKeys({ dir: dir.path, production: true });
    const oldToken = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid: first }).sign(oldRing.signingKey!.privateKey);

    const rotated = await rotateKeys({ dir: dir.path, accessTokenTtlSeconds: 3600, now: () => new Date(start) });
    expect(rotated.previousKid).to.equal(first);
    const during = await loadOrCreateKeys({ dir: dir.path, production: true, now: () => new Date(start + 1000) });
    expect(during.signingKey!.kid).to.equal(rotated.kid);
    expect(during.jwks.keys.map((k) => k.kid)).to.deep.equal([rotated.kid, first]);
    await jwtVerify(oldToken, createLocalJWKSet(during.jwks));

    const after = await loadOrCreateKeys({ dir: dir.path, production: true, now: () => new Date(start + 3601 * 1000) });
    expect(after.jwks.keys.map((k) => k.kid)).to.deep.equal([rotated.kid]);
    const third = await rotateKeys({ dir: dir.path, accessTokenTtlSeconds: 3600, now: () => new Date(start + 3601 * 1000) });
    expect(third.pruned).to.deep.equal([first]);
    expect(existsSync(privateKeyFile(dir.path, first))).to.equal(false);
  });

  it('npm run keys:generate / keys:rotate honour KEYS_DIR and print kids, never key material', async () => {
    const env = { ...process.env, KEYS_DIR: dir.path };
    const generated = await run('npx', ['tsx', 'src/cli/main.ts', 'keys', 'generate'], { env });
    expect(generated.stdout).to.match(/Generated RS256 signing key [A-Za-z0-9_-]{43}/);
    expect(generated.stdout).not.to.include('PRIVATE KEY');
    const manifest = JSON.parse(readFileSync(dir.file('keys.json'), 'utf8')) as { active: string };
    expect(generated.stdout).to.include(manifest.active);
    const again = await run('npx', ['tsx', 'src/cli/main.ts', 'keys', 'generate'], { env }).then(() => 0, (e: { code: number }) => e.code);
    expect(again).to.equal(6); // refused: the keys exist
    const rotated = await run('npx', ['tsx', 'src/cli/main.ts', 'keys', 'rotate'], { env });
    expect(rotated.stdout).to.include(`${manifest.active} stays in the JWKS`);
    expect(rotated.stdout).not.to.include('PRIVATE KEY');
  });
});
