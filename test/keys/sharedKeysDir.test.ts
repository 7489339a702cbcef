import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { loadOrCreateKeys } from '../../src/keys/keyStore.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';

describe('signing keys: nodes sharing one KEYS_DIR', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-shared-keys-')));
  afterEach(() => dir.remove());

  it('given an empty KEYS_DIR, when several nodes start at once, then they all sign with one key and no other pair is left', async () => {
    const rings = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateKeys({ dir: dir.path, production: false })));

    const kids = new Set(rings.map((ring) => ring.signingKey?.kid));
    expect(kids.size).to.equal(1);
    const [kid] = [...kids];
    expect(readdirSync(dir.path).sort()).to.deep.equal(['keys.json', `${kid}.private.pem`, `${kid}.public.pem`].sort());
  });
});
