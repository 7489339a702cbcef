import { authorizationCodeDecider, type AuthorizationCodeCommand } from '../../../src/domain/authorization/authorizationCodeDecider.js';
import type { AuthorizationCodeEvent } from '../../../src/domain/authorization/authorizationCodeEvents.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { metadataAt, NOW } from '../metadata.js';

const given = DeciderSpecification.for(authorizationCodeDecider);
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const issued: AuthorizationCodeEvent = {
  type: 'AuthorizationCodeIssued',
  data: {
    codeHash: 'hash-1', applicationId: 'app-1', userId: 'user-1', redirectUri: 'https://app.example/cb', redirectUriGiven: true,
    codeChallenge: challenge, scope: 'read', authTime: NOW.getTime() / 1000, expiresAt: new Date(NOW.getTime() + 600_000).toISOString(),
  },
};
const redeem = (overrides: Partial<Extract<AuthorizationCodeCommand, { type: 'RedeemAuthorizationCode' }>['data']> = {}, now = NOW): AuthorizationCodeCommand => ({
  type: 'RedeemAuthorizationCode',
  data: { codeHash: 'hash-1', applicationId: 'app-1', redirectUri: 'https://app.example/cb', verifierChallenge: challenge, accessTokenJti: 'jti-1', familyId: 'fam-1', ...overrides },
  metadata: metadataAt(now),
});
const redeemed: AuthorizationCodeEvent = { type: 'AuthorizationCodeRedeemed', data: { codeHash: 'hash-1', applicationId: 'app-1', accessTokenJti: 'jti-1', familyId: 'fam-1' } };

describe('authorization code decider', () => {
  it('given an issued code, when redeemed with the right client, redirect URI and verifier, then AuthorizationCodeRedeemed with the tokens it will issue', () =>
    given([issued]).when(redeem()).then([redeemed]));

  it('given a redeemed code, when redeemed again, then AuthorizationCodeReplayed naming the first redemption\'s tokens (to revoke)', () =>
    given([issued, redeemed]).when(redeem({ accessTokenJti: 'jti-2', familyId: 'fam-2' })).then([
      { type: 'AuthorizationCodeReplayed', data: { codeHash: 'hash-1', applicationId: 'app-1', accessTokenJti: 'jti-1', familyId: 'fam-1' } },
    ]));

  it('given a code, when another client redeems it (even after use), then refused without events', () => {
    given([issued]).when(redeem({ applicationId: 'app-2' })).thenThrows('ILLEGAL_STATE');
    given([issued, redeemed]).when(redeem({ applicationId: 'app-2' })).thenThrows('ILLEGAL_STATE');
  });

  it('given a code, when redeemed at or after its expiry, then refused', () =>
    given([issued]).when(redeem({}, new Date(NOW.getTime() + 600_000))).thenThrows('ILLEGAL_STATE'));

  it('given a wrong verifier or redirect URI, then refused (and the code is not used up)', () => {
    given([issued]).when(redeem({ verifierChallenge: challenge.replace('E', 'F') })).thenThrows('ILLEGAL_STATE');
    given([issued]).when(redeem({ redirectUri: undefined })).thenThrows('ILLEGAL_STATE');
    given([issued]).when(redeem({ redirectUri: 'https://app.example/cb/' })).thenThrows('ILLEGAL_STATE');
  });

  it('given a code whose request had no redirect_uri, then the token request may omit it, or must repeat the registered one', () => {
    const implicit = { ...issued, data: { ...issued.data, redirectUriGiven: false } } as AuthorizationCodeEvent;
    given([implicit]).when(redeem({ redirectUri: undefined })).then([redeemed]);
    given([implicit]).when(redeem({ redirectUri: 'https://other.example/cb' })).thenThrows('ILLEGAL_STATE');
  });

  it('given no code, when redeemed, then NOT_FOUND; a code issued twice is ALREADY_EXISTS', () => {
    given([]).when(redeem()).thenThrows('NOT_FOUND');
    given([issued]).when({ type: 'IssueAuthorizationCode', data: issued.data, metadata: metadataAt() } as AuthorizationCodeCommand).thenThrows('ALREADY_EXISTS');
  });
});
