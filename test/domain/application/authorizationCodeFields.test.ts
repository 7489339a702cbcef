import { expect } from 'chai';
import { applicationDecider } from '../../../src/domain/application/applicationDecider.js';
import type { ApplicationEvent } from '../../../src/domain/application/applicationEvents.js';
import { isValidRedirectUri } from '../../../src/domain/application/redirectUris.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { command, create, created } from './fixtures.js';

const given = DeciderSpecification.for(applicationDecider);
const failsOn = (field: string) => (e: { code: string; errors: { field: string }[] }) =>
  e.code === 'VALIDATION' && e.errors.some((x) => x.field === field);
const codeApp = (overrides = {}) =>
  create({ grants: ['authorization_code'], ownerUserId: null, redirectUris: ['https://app.example/cb'], ...overrides });

describe('application decider: authorization_code fields and token lifetimes', () => {
  it('given authorization_code, then refresh_token comes with it, and confidential and consent default to true and false', () =>
    given([]).when(codeApp()).thenState((s) =>
      expect(s).to.deep.include({ grants: ['authorization_code', 'refresh_token'], redirectUris: ['https://app.example/cb'], confidential: true, skipConsent: false }),
    ));

  it('given authorization_code without a redirect URI, then VALIDATION on redirectUris', () =>
    given([]).when(codeApp({ redirectUris: [] })).thenThrows(failsOn('redirectUris')));

  it('given redirect URIs on a client_credentials application, then VALIDATION (they are only for authorization_code)', () =>
    given([]).when(create({ redirectUris: ['https://app.example/cb'] })).thenThrows(failsOn('redirectUris')));

  it('accepts https and loopback http; refuses http elsewhere, fragments, userinfo, relative and other schemes', () => {
    for (const ok of ['https://app.example/cb', 'https://app.example/cb?x=1', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'http://localhost:3000/cb']) {
      expect(isValidRedirectUri(ok), ok).to.equal(true);
    }
    for (const bad of ['http://app.example/cb', 'https://app.example/cb#frag', 'https://user:pw@app.example/cb', 'https://evil@app.example/', '/cb',
      'javascript:alert(1)', 'com.example.app:/cb', 'http://127.0.0.2.evil.example/cb', 'https://app.example/ cb', `https://app.example/${'a'.repeat(2048)}`, 42]) {
      expect(isValidRedirectUri(bad), String(bad)).to.equal(false);
    }
    given([]).when(codeApp({ redirectUris: ['http://app.example/cb'] })).thenThrows(failsOn('redirectUris'));
  });

  it('given a public client, then it may use authorization_code only', () => {
    given([]).when(codeApp({ confidential: false })).thenState((s) => expect(s).to.include({ confidential: false }));
    given([]).when(codeApp({ confidential: false, grants: ['authorization_code', 'password'] })).thenThrows(failsOn('confidential'));
    given([]).when(create({ confidential: false })).thenThrows(failsOn('confidential'));
  });

  it('given token lifetimes, then whole seconds from 60 up are kept, and anything else is VALIDATION', () => {
    given([]).when(create({ accessTokenTtl: 300, refreshTokenTtl: 86400 })).thenState((s) => expect(s).to.include({ accessTokenTtl: 300, refreshTokenTtl: 86400 }));
    for (const bad of [59, 1.5, -1, Number.NaN, '300' as unknown as number]) {
      given([]).when(create({ accessTokenTtl: bad })).thenThrows(failsOn('accessTokenTtl'));
      given([]).when(create({ refreshTokenTtl: bad })).thenThrows(failsOn('refreshTokenTtl'));
    }
  });

  it('given an application, when its redirect URIs, consent and lifetimes are edited, then the change is a diff, and emptying the URIs is refused', () => {
    const codeCreated: ApplicationEvent = {
      ...created,
      data: { ...created.data, ownerUserId: null, grants: ['authorization_code', 'refresh_token'], redirectUris: ['https://app.example/cb'] },
    } as ApplicationEvent;
    given([codeCreated])
      .when(command('UpdateApplication', { changes: { redirectUris: ['https://app.example/new'], skipConsent: true, accessTokenTtl: 120 } }))
      .then([{
        type: 'ApplicationUpdated',
        data: {
          applicationId: created.data.applicationId,
          changes: {
            redirectUris: { from: ['https://app.example/cb'], to: ['https://app.example/new'] },
            skipConsent: { from: false, to: true },
            accessTokenTtl: { from: null, to: 120 },
          },
        },
      }]);
    given([codeCreated]).when(command('UpdateApplication', { changes: { redirectUris: [] } })).thenThrows(failsOn('redirectUris'));
  });

  it('given an ApplicationCreated written before these fields existed, then it reads with the defaults', () => {
    const { redirectUris: _r, confidential: _c, skipConsent: _s, accessTokenTtl: _a, refreshTokenTtl: _t, ...older } = created.data;
    given([{ ...created, data: older } as ApplicationEvent]).when(command('ActivateApplication')).thenState((s) =>
      expect(s).to.deep.include({ redirectUris: [], confidential: true, skipConsent: false, accessTokenTtl: null, refreshTokenTtl: null }),
    );
  });
});
