import { expect } from 'chai';
import { decide, evolve, initialState, type RefreshTokenFamilyCommand } from '../../src/domain/tokens/refreshTokenFamilyDecider.js';
import type { RefreshTokenFamilyEvent } from '../../src/domain/tokens/tokenEvents.js';
import { DomainError } from '../../src/domain/shared/domainError.js';

const now = new Date('2030-01-01T00:00:00Z');
const metadata = { actor: 't', now, correlationId: 'c' };
const issued: RefreshTokenFamilyEvent = {
  type: 'RefreshTokenIssued',
  data: { familyId: 'f', applicationId: 'app', userId: 'u', tokenHash: 'h1', scope: 'read', aud: ['a'], expiresAt: '2030-01-02T00:00:00Z', accessTokenJti: 'j1' },
};
const rotated: RefreshTokenFamilyEvent = {
  type: 'RefreshTokenRotated',
  data: { familyId: 'f', previousTokenHash: 'h1', tokenHash: 'h2', expiresAt: '2030-01-02T00:00:00Z', accessTokenJti: 'j2' },
};
const given = (events: RefreshTokenFamilyEvent[]) => events.reduce(evolve, initialState());
const rotate = (presented: string, applicationId = 'app', at = now): RefreshTokenFamilyCommand => ({
  type: 'RotateRefreshToken',
  data: { familyId: 'f', applicationId, presentedTokenHash: presented, tokenHash: 'h3', expiresAt: '2030-01-03T00:00:00Z', accessTokenJti: 'j3' },
  metadata: { ...metadata, now: at },
});

describe('refresh token family decider', () => {
  it('given the current token, when rotated, then RefreshTokenRotated', () => {
    expect(decide(rotate('h2'), given([issued, rotated]))).to.deep.equal([
      { type: 'RefreshTokenRotated', data: { familyId: 'f', previousTokenHash: 'h2', tokenHash: 'h3', expiresAt: '2030-01-03T00:00:00Z', accessTokenJti: 'j3' } },
    ]);
  });

  it('given a rotated token presented again, then the family is revoked with all its access tokens', () => {
    expect(decide(rotate('h1'), given([issued, rotated]))).to.deep.equal([
      { type: 'RefreshTokenFamilyRevoked', data: { familyId: 'f', reason: 'reuse', accessTokenJtis: ['j1', 'j2'] } },
    ]);
  });

  it('refuses an expired token, another client, an unknown hash, a revoked family and an empty stream', () => {
    const revoked: RefreshTokenFamilyEvent = { type: 'RefreshTokenFamilyRevoked', data: { familyId: 'f', reason: 'revocation', accessTokenJtis: [] } };
    expect(() => decide(rotate('h1', 'app', new Date('2030-01-02T00:00:00Z')), given([issued]))).to.throw(DomainError, /expired/);
    expect(() => decide(rotate('h1', 'other'), given([issued]))).to.throw(DomainError, /another client/);
    expect(() => decide(rotate('zz'), given([issued]))).to.throw(DomainError);
    expect(() => decide(rotate('h1'), given([issued, revoked]))).to.throw(DomainError, /revoked/);
    expect(() => decide(rotate('h1'), initialState())).to.throw(DomainError);
  });

  it('revocation is idempotent', () => {
    const revoke: RefreshTokenFamilyCommand = { type: 'RevokeRefreshTokenFamily', data: { familyId: 'f', reason: 'revocation' }, metadata };
    const events = decide(revoke, given([issued]));
    expect(events).to.have.length(1);
    expect(decide(revoke, given([issued, ...events]))).to.deep.equal([]);
  });
});
