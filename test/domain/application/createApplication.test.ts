import { expect } from 'chai';
import { applicationDecider } from '../../../src/domain/application/applicationDecider.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { create, created } from './fixtures.js';

const given = DeciderSpecification.for(applicationDecider);
const fields = (e: { errors: { field: string }[] }): string[] => e.errors.map((x) => x.field);
const failsOn = (field: string) => (e: { code: string; errors: { field: string }[] }) =>
  e.code === 'VALIDATION' && fields(e).includes(field);

describe('application decider: CreateApplication', () => {
  it('creates a client-credentials application with defaults (active, all APIs, no scopes)', () =>
    given([]).when(create()).then([created]));

  it('trims the name and keeps every optional field', () =>
    given([])
      .when(
        create({
          name: '  Shop  ',
          active: false,
          allApis: false,
          apis: ['jsonapi', 'jsonapi', 'scim'],
          scopes: ['read:orders', 'write'],
          applicationUrl: 'https://shop.example/app',
          description: 'Syncs orders',
        }),
      )
      .then([
        {
          type: 'ApplicationCreated',
          data: {
            ...created.data,
            name: 'Shop',
            active: false,
            allApis: false,
            apis: ['jsonapi', 'scim'],
            scopes: ['read:orders', 'write'],
            applicationUrl: 'https://shop.example/app',
            description: 'Syncs orders',
          },
        },
      ]));

  it('given firstParty (the console, made by the system), then it is recorded and folded; absent, it is false and not recorded', () => {
    given([]).when(create({ grants: ['password'], ownerUserId: null, firstParty: true })).thenState((s) => expect(s).to.include({ firstParty: true }));
    given([])
      .when(create({ grants: ['password'], ownerUserId: null, firstParty: true }))
      .then([{ type: 'ApplicationCreated', data: { ...created.data, grants: ['password', 'refresh_token'], ownerUserId: null, firstParty: true } }]);
    given([]).when(create()).thenState((s) => expect(s).to.include({ firstParty: false }));
  });

  it('refuses a first-party storefront application and a firstParty that is not a boolean', () => {
    given([]).when(create({ grants: ['password'], ownerUserId: null, firstParty: true, frontend: true })).thenThrows(failsOn('firstParty'));
    given([]).when(create({ firstParty: 'yes' as never })).thenThrows(failsOn('firstParty'));
  });

  it('adds refresh_token to a password application', () =>
    given([])
      .when(create({ grants: ['password'], ownerUserId: null }))
      .thenState((s) => expect(s).to.deep.include({ grants: ['password', 'refresh_token'], ownerUserId: null })));

  it('stores grants once each, in catalogue order', () =>
    given([])
      .when(create({ grants: ['refresh_token', 'password', 'client_credentials', 'password'] }))
      .thenState((s) => expect(s).to.deep.include({ grants: ['client_credentials', 'password', 'refresh_token'] })));

  it('refuses no grant, an unknown grant, and refresh_token alone', () => {
    for (const grants of [[], ['implicit'], ['refresh_token'], 'client_credentials']) {
      given([]).when(create({ grants: grants as never })).thenThrows(failsOn('grants'));
    }
  });

  it('requires an owner for client_credentials (the token acts as the owner)', () =>
    given([]).when(create({ ownerUserId: null })).thenThrows(failsOn('ownerUserId')));

  it('refuses names that are empty, blank or 256 characters; accepts 255', () => {
    for (const name of ['', '   ', 'n'.repeat(256), 42]) given([]).when(create({ name: name as string })).thenThrows(failsOn('name'));
    given([]).when(create({ name: 'n'.repeat(255) })).thenState((s) => expect(s).to.include({ name: 'n'.repeat(255) }));
  });

  it('requires APIs when allApis is false', () =>
    given([]).when(create({ allApis: false })).thenThrows(failsOn('apis')));

  it('refuses scopes outside the RFC 6749 scope-token syntax', () => {
    for (const scope of ['', 'two words', 'quote"', 'back\\slash', 'é']) {
      given([]).when(create({ scopes: [scope] })).thenThrows(failsOn('scopes'));
    }
  });

  it('refuses an application URL that is not http(s) or longer than 2048 characters', () => {
    for (const applicationUrl of ['ftp://x.example', 'javascript:alert(1)', 'not a url', `https://x.example/${'a'.repeat(2040)}`]) {
      given([]).when(create({ applicationUrl })).thenThrows(failsOn('applicationUrl'));
    }
  });

  it('treats an empty URL or description as none', () =>
    given([])
      .when(create({ applicationUrl: '  ', description: '' }))
      .thenState((s) => expect(s).to.include({ applicationUrl: null, description: null })));

  it('refuses a description over 4096 characters', () =>
    given([]).when(create({ description: 'd'.repeat(4097) })).thenThrows(failsOn('description')));

  it('reports all invalid fields at once', () => {
    const error = given([]).when(create({ name: '', grants: [], allApis: false })).thenThrows('VALIDATION');
    expect(fields(error)).to.have.members(['name', 'grants', 'apis']);
  });

  it('refuses missing generated values (ids and secret hash come from the caller)', () => {
    for (const key of ['applicationId', 'clientId', 'secretHash'] as const) {
      given([]).when(create({ [key]: '' })).thenThrows(failsOn(key));
    }
  });

  it('refuses a second creation', () => given([created]).when(create()).thenThrows('ALREADY_EXISTS'));
});
