import { expect } from 'chai';
import { dummyPasswordVerify, hashPassword, verifyPassword } from '../../src/security/passwordHash.js';

describe('password hashing (scrypt)', () => {
  let hash: string;
  before(async () => {
    hash = await hashPassword('correct horse battery staple');
  });

  it('produces scrypt$N$r$p$salt$hash with N=16384, r=8, p=1, never containing the password', () => {
    expect(hash).to.match(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.to.include('horse');
  });

  it('salts: two hashes of one password differ', async () => {
    expect(await hashPassword('correct horse battery staple')).not.to.equal(hash);
  });

  it('verifies the right password (round trip, also for non-ASCII)', async () => {
    expect(await verifyPassword('correct horse battery staple', hash)).to.equal(true);
    expect(await verifyPassword('pässwörd ✓', await hashPassword('pässwörd ✓'))).to.equal(true);
  });

  it('treats canonically equivalent Unicode spellings as the same password', async () => {
    const composed = 'caf\u00e9-password';
    const decomposed = 'cafe\u0301-password';
    expect(await verifyPassword(decomposed, await hashPassword(composed))).to.equal(true);
  });

  it('rejects a wrong password', async () => {
    for (const wrong of ['correct horse battery stapl', 'Correct horse battery staple', '', 'x'.repeat(2000)]) {
      expect(await verifyPassword(wrong, hash)).to.equal(false);
    }
  });

  it('rejects a tampered hash', async () => {
    const parts = hash.split('$');
    const digest = parts[5]!;
    const tampered = [...parts.slice(0, 5), (digest[0] === 'A' ? 'B' : 'A') + digest.slice(1)].join('$');
    const otherParams = ['scrypt', '1024', '8', '1', parts[4], digest].join('$');
    expect(await verifyPassword('correct horse battery staple', tampered)).to.equal(false);
    expect(await verifyPassword('correct horse battery staple', otherParams)).to.equal(false);
  });

  it('never throws on garbage, including parameters meant to exhaust memory', async () => {
    const garbage: unknown[] = [
      undefined,
      null,
      7,
      '',
      'scrypt$',
      'scrypt$16384$8$1$$',
      'scrypt$16383$8$1$c2FsdA$' + 'A'.repeat(43),
      'scrypt$1073741824$8$1$c2FsdA$' + 'A'.repeat(43),
      'scrypt$16384$99999999$1$c2FsdA$' + 'A'.repeat(43),
      'bcrypt$2b$10$abc',
    ];
    for (const stored of garbage) {
      expect(await verifyPassword('whatever', stored)).to.equal(false);
      expect(await verifyPassword({ not: 'a string' }, stored)).to.equal(false);
    }
  });

  it('dummyPasswordVerify (unknown users) answers false and never throws', async () => {
    expect(await dummyPasswordVerify('anything')).to.equal(false);
    expect(await dummyPasswordVerify(undefined)).to.equal(false);
  });
});
