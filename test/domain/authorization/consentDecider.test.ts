import { expect } from 'chai';
import { consentCovers, consentDecider, type ConsentCommand } from '../../../src/domain/authorization/consentDecider.js';
import type { ConsentEvent } from '../../../src/domain/authorization/consentEvents.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { metadataAt } from '../metadata.js';

const given = DeciderSpecification.for(consentDecider);
const ids = { userId: 'user-1', applicationId: 'app-1' };
const grant = (scopes: string[], automatic = false): ConsentCommand => ({ type: 'GrantConsent', data: { ...ids, scopes, automatic }, metadata: metadataAt() });
const granted = (scopes: string[]): ConsentEvent => ({ type: 'ConsentGranted', data: { ...ids, scopes, automatic: false } });
const tokens: ConsentEvent = { type: 'ConsentTokensIssued', data: { ...ids, familyId: 'fam-1' } };

describe('consent decider', () => {
  it('given nothing, when granted, then ConsentGranted; granting what is already covered records nothing', () => {
    given([]).when(grant(['read'])).then([granted(['read'])]);
    given([granted(['read', 'write'])]).when(grant(['read'])).thenNothingHappened();
  });

  it('given a consent, when a wider scope is granted, then the consent holds both', () =>
    given([granted(['read'])]).when(grant(['write'])).then([granted(['read', 'write'])]));

  it('given a consent with tokens, when revoked, then ConsentRevoked names their families, and the consent is gone', () => {
    given([granted([]), tokens]).when({ type: 'RevokeConsent', data: ids, metadata: metadataAt() }).then([
      { type: 'ConsentRevoked', data: { ...ids, familyIds: ['fam-1'] } },
    ]);
    given([granted([]), tokens, { type: 'ConsentRevoked', data: { ...ids, familyIds: ['fam-1'] } }])
      .when(grant([]))
      .thenState((s) => expect(consentCovers(s, 'app-1', [])).to.equal(true));
  });

  it('given no consent (or a revoked one), when tokens are recorded or it is revoked, then NOT_FOUND', () => {
    given([]).when({ type: 'RecordConsentTokens', data: { ...ids, familyId: 'f' }, metadata: metadataAt() }).thenThrows('NOT_FOUND');
    given([granted([]), { type: 'ConsentRevoked', data: { ...ids, familyIds: [] } }]).when({ type: 'RevokeConsent', data: ids, metadata: metadataAt() }).thenThrows('NOT_FOUND');
  });
});
