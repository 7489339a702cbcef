import { expect } from 'chai';
import {
  generateClientId,
  generateClientSecret,
  hashSecret,
  verifySecret,
} from '../../src/security/secretHash.js';

const GARBAGE: unknown[] = [undefined, null, 42, {}, [], '', '$', 'sha256$$', 'sha256$a$b$c', 'md5$c2FsdA$aGFzaA', 'sha256$!!!$???'];

describe('client secrets', () => {
  it('client ids are 32 URL-safe characters, different every time', () => {
    const ids = Array.from({ length: 50 }, generateClientId);
    for (const id of ids) expect(id).to.match(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(ids).size).to.equal(50);
  });

  it('secrets are 256 random bits in base64url', () => {
    const secret = generateClientSecret();
    expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).to.have.length(32);
    expect(generateClientSecret()).not.to.equal(secret);
  });

  it('hashes in the sha256$salt$hash form, salted (two hashes of one secret differ), never containing the secret', () => {
    const secret = generateClientSecret();
    const [a, b] = [hashSecret(secret), hashSecret(secret)];
    expect(a).to.match(/^sha256\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.to.equal(b);
    expect(a).not.to.include(secret);
  });

  it('verifies the right secret (round trip)', () => {
    const secret = generateClientSecret();
    expect(verifySecret(secret, hashSecret(secret))).to.equal(true);
  });

  it('rejects a wrong secret, including a prefix, an extension and a different-length one', () => {
    const secret = generateClientSecret();
    const hash = hashSecret(secret);
    for (const wrong of [generateClientSecret(), secret.slice(0, -1), `${secret}x`, '', 'x'.repeat(5000)]) {
      expect(verifySecret(wrong, hash)).to.equal(false);
    }
  });

  it('rejects a tampered hash (salt or digest changed, digest truncated)', () => {
    const secret = generateClientSecret();
    const [scheme, salt, digest] = hashSecret(secret).split('$') as [string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const tampered of [`${scheme}$${flip(salt)}$${digest}`, `${scheme}$${salt}$${flip(digest)}`, `${scheme}$${salt}$${digest.slice(0, -2)}`]) {
      expect(verifySecret(secret, tampered)).to.equal(false);
    }
  });

  it('never throws on garbage: answers false', () => {
    for (const stored of GARBAGE) {
      for (const secret of GARBAGE) expect(verifySecret(secret, stored)).to.equal(false);
    }
  });

  it('given the same hashes checked again and again, and more distinct hashes than are kept parsed, then every check answers by the secret alone', () => {
    const secrets = Array.from({ length: 12_000 }, generateClientSecret);
    const hashes = secrets.map(hashSecret);
    for (let round = 0; round < 2; round += 1) {
      secrets.forEach((secret, i) => {
        expect(verifySecret(secret, hashes[i])).to.equal(true);
        expect(verifySecret(secrets[(i + 1) % secrets.length], hashes[i])).to.equal(false);
      });
    }
    const malformed = 'sha256$!!!$???';
    for (let i = 0; i < 3; i += 1) expect(verifySecret(malformed, malformed)).to.equal(false);
    expect(verifySecret(secrets[0], hashes[0])).to.equal(true);
  });
});
