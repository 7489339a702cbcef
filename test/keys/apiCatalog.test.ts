import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { loadApiCatalog, ApiCatalogError } from '../../src/apiCatalog/apiCatalog.js';
import { createTempDir } from '../support/tempDir.js';

describe('API catalog (API_CATALOG)', () => {
  const issuer = 'https://auth.example';

  it('defaults to the admin API, JSON:API, Email Addon, SCIM (back office) and the Storefront API', () => {
    const catalog = loadApiCatalog({ issuer });
    expect(catalog.entries.map((e) => [e.name, e.side])).to.deep.equal([
      ['Tollgate admin API', 'backOffice'],
      ['JSON:API', 'backOffice'],
      ['Email Addon', 'backOffice'],
      ['SCIM', 'backOffice'],
      ['Storefront API', 'storefront'],
    ]);
    expect(catalog.adminAudience).to.equal('https://auth.example/admin');
  });

  it('gives all APIs of the app side for allApis, and only listed APIs of its side otherwise', () => {
    const catalog = loadApiCatalog({ issuer });
    expect(catalog.audiencesFor({ frontend: true, allApis: true, apis: [] })).to.deep.equal(['https://auth.example/storefront/api']);
    expect(catalog.audiencesFor({ frontend: false, allApis: true, apis: [] })).to.have.length(4);
    expect(catalog.audiencesFor({ frontend: false, allApis: false, apis: ['scim', 'storefront-api', 'nope'] })).to.deep.equal(['https://auth.example/scim/v2']);
  });

  it('loads a file, substituting ${ISSUER}; a bad file is an error naming API_CATALOG', async () => {
    const dir = await createTempDir('tollgate-catalog-');
    try {
      writeFileSync(dir.file('ok.json'), JSON.stringify([{ id: 'tollgate-admin', name: 'Admin', audience: '${ISSUER}/admin', side: 'backOffice' }]));
      expect(loadApiCatalog({ issuer, file: dir.file('ok.json') }).adminAudience).to.equal('https://auth.example/admin');
      writeFileSync(dir.file('bad.json'), JSON.stringify([{ id: 'x', name: 'X', audience: 'a', side: 'sideways' }]));
      expect(() => loadApiCatalog({ issuer, file: dir.file('bad.json') })).to.throw(ApiCatalogError, /^API_CATALOG: .*side/);
      writeFileSync(dir.file('junk.json'), '{');
      expect(() => loadApiCatalog({ issuer, file: dir.file('junk.json') })).to.throw(ApiCatalogError, /^API_CATALOG: .*not valid JSON/);
      expect(() => loadApiCatalog({ issuer, file: dir.file('absent.json') })).to.throw(ApiCatalogError, /^API_CATALOG: .*cannot be read/);
    } finally {
      await dir.remove();
    }
  });
});
