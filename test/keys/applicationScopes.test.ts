import { expect } from 'chai';
import { createApiCatalog, defaultApiEntries, loadApiCatalog } from '../../src/apiCatalog/apiCatalog.js';
import { applicationScopeErrors, grantableScopes } from '../../src/apiCatalog/applicationScopes.js';
import { createTempDir } from '../support/tempDir.js';
import { writeFileSync } from 'node:fs';

const issuer = 'https://auth.example';
const catalog = createApiCatalog(defaultApiEntries(issuer), issuer);
const backOffice = { frontend: false, allApis: true, apis: [] };

describe('API catalog scopes', () => {
  it('given an administrator, then every scope of the APIs the application may use, none of the other side', () => {
    expect([...grantableScopes(catalog, backOffice, 'administrator')]).to.include.members(['admin', 'read', 'write', 'scim:write']);
    expect(applicationScopeErrors(catalog, { frontend: true, allApis: true, apis: [], scopes: ['scim:read'] }, 'administrator')).to.have.length(1);
  });

  it('given a plain user, then only the default scopes (and userScopes) of the APIs', () => {
    expect([...grantableScopes(catalog, backOffice, 'owner')]).to.deep.equal(['read']);
    const errors = applicationScopeErrors(catalog, { ...backOffice, scopes: ['read', 'admin', 'nope'] }, 'owner');
    expect(errors.map((e) => e.field)).to.deep.equal(['scopes[1]', 'scopes[2]']);
    expect(errors[0]!.message).to.include('administrator');
    expect(errors[1]!.message).to.include('unknown scope nope');
  });

  it('given an application limited to SCIM, then scopes of other APIs are unknown to it', () => {
    const scim = { frontend: false, allApis: false, apis: ['scim'] };
    expect(applicationScopeErrors(catalog, { ...scim, scopes: ['scim:read', 'read'] }, 'administrator').map((e) => e.field)).to.deep.equal(['scopes[1]']);
  });

  it('given a catalog file with userScopes, then users may give those; a userScope the API lacks stops the start', async () => {
    const dir = await createTempDir('catalog-');
    try {
      const file = dir.file('apis.json');
      writeFileSync(file, JSON.stringify([{ id: 'x', name: 'X', audience: '${ISSUER}/x', side: 'backOffice', scopes: ['x:read', 'x:write'], userScopes: ['x:write'] }]));
      const loaded = loadApiCatalog({ file, issuer });
      expect([...grantableScopes(loaded, backOffice, 'owner')]).to.deep.equal(['x:write']);
      writeFileSync(file, JSON.stringify([{ id: 'x', name: 'X', audience: 'a', side: 'backOffice', scopes: [], userScopes: ['x:write'] }]));
      expect(() => loadApiCatalog({ file, issuer })).to.throw(/userScopes.*not one of the API's scopes/);
    } finally {
      await dir.remove();
    }
  });
});
