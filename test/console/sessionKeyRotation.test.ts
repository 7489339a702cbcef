import { expect } from 'chai';
import { createSealedSessions } from '../../src/console/session/sealedSessions.js';
import { createMemorySessionRecords } from '../../src/console/session/sessionRecords.js';
import { createSessionStore } from '../../src/console/session/sessionStore.js';
import { derivedKeysOf } from '../../src/keys/derivedKey.js';
import type { KeyRing } from '../../src/keys/keyRing.js';
import { createKeys, loadOrCreateKeys, rotateKeys } from '../../src/keys/keyStore.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';

const LIMITS = { idleSeconds: 3_600, maxAgeSeconds: 36_000 };
const TOKENS = { userId: 'u-1', accessToken: 'access', accessTokenExpiresAt: Date.now() + 60_000, refreshToken: 'refresh' };

/**
 * Console sessions across a signing-key rotation, with a real KEYS_DIR: sealed under the
 * previous key, a session opens while that key is retiring and is sealed again under the new
 * one when written; once the previous key has retired, one never written since does not open.
 */
describe('console sessions across a signing-key rotation', () => {
  let dir: TempDir;
  let ring: KeyRing;
  beforeEach(async () => {
    dir = await createTempDir('tollgate-session-keys-');
    await createKeys(dir.file('keys'), 'RS256');
    ring = await loadOrCreateKeys({ dir: dir.file('keys'), production: true });
  });
  afterEach(async () => dir.remove());

  it('given sessions sealed before a rotation, then they open while the previous key retires; one written since opens after it retired, one not written does not', async () => {
    const records = createMemorySessionRecords();
    const store = createSessionStore(LIMITS, createSealedSessions(records, derivedKeysOf(() => ring, 'tollgate console sessions')));
    const now = Date.now();
    const active = await store.create(TOKENS, now);
    const idle = await store.create(TOKENS, now);

    await rotateKeys({ dir: dir.file('keys'), accessTokenTtlSeconds: 600 });
    ring = await loadOrCreateKeys({ dir: dir.file('keys'), production: true });
    expect(ring.retiringPrivateKeys).to.have.length(1);

    const read = (await store.get(active.id, now + 1_000)).session!;
    expect(read, 'opens under the retiring key').to.include({ userId: 'u-1', accessToken: 'access' });
    read.flashes.push({ kind: 'info', text: 'after the rotation' });
    await store.save(read); // sealed again, under the new key
    Object.assign(read, { accessToken: 'access-2', accessTokenExpiresAt: TOKENS.accessTokenExpiresAt + 1 });
    expect(await store.saveTokens(read)).to.equal(true); // a refresh: the tokens too
    expect((await store.get(idle.id, now + 1_000)).session, 'the idle one too, for now').to.not.equal(undefined);

    // Past the previous key's retirement (the access token lifetime after the rotation).
    ring = await loadOrCreateKeys({ dir: dir.file('keys'), production: true, now: () => new Date(Date.now() + 601_000) });
    expect(ring.retiringPrivateKeys).to.have.length(0);
    const after = (await store.get(active.id, now + 2_000)).session!;
    expect(after.flashes).to.deep.equal([{ kind: 'info', text: 'after the rotation' }]);
    expect(after.accessToken).to.equal('access-2');
    expect((await store.get(idle.id, now + 2_000)).session, 'sealed under a retired key: sign in again').to.equal(undefined);
  });
});
