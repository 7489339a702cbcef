import { expect } from 'chai';
import { decide, evolve, initialState, type RefreshTokenFamilyCommand } from '../../src/domain/tokens/refreshTokenFamilyDecider.js';
import type { RefreshTokenFamilyEvent } from '../../src/domain/tokens/tokenEvents.js';
import { DomainError } from '../../src/domain/shared/domainError.js';

const now = new Date('2030-01-01T00:00:00Z');
const metadata = { actor: 't', actorKind: 'client' as const, now, correlationId: 'c' };
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
  it('given a family started by a sign-in, then it keeps its auth_time through rotations; a first-release family is dated by its event', () => {
    const started: RefreshTokenFamilyEvent = { ...issued, data: { ...issued.data, authTime: 1893456000.123 } };
    expect(given([started, rotated])).to.include({ authTime: 1893456000.123 });
    const firstRelease = { ...issued, metadata: { occurredAt: '2029-12-31T23:59:59.500Z' } } as RefreshTokenFamilyEvent;
    expect(given([firstRelease])).to.include({ authTime: Date.parse('2029-12-31T23:59:59.500Z') / 1000 });
  });

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

  it('given an event type this version does not know, when folded, then the state is unchanged', () => {
    // Given a family and an event written by a newer version (rolling deploy)
    const state = given([issued]);
    const newer = { type: 'RefreshTokenAnnotated', data: { note: 'x' } } as unknown as RefreshTokenFamilyEvent;
    // When folded, then nothing throws and the family is as before
    expect(evolve(state, newer)).to.equal(state);
    expect(decide(rotate('h1'), evolve(state, newer))).to.have.length(1);
  });

  it('revocation is idempotent', () => {
    const revoke: RefreshTokenFamilyCommand = { type: 'RevokeRefreshTokenFamily', data: { familyId: 'f', reason: 'revocation' }, metadata };
    const events = decide(revoke, given([issued]));
    expect(events).to.have.length(1);
    expect(decide(revoke, given([issued, ...events]))).to.deep.equal([]);
  });

  it('given a long family, when its first token is reused, then every access token is revoked in issue order', () => {
    // Given 5,000 rotations (a chain's state grows by one hash and one jti per event)
    const events: RefreshTokenFamilyEvent[] = [issued];
    for (let i = 2; i <= 5000; i++) {
      events.push({ type: 'RefreshTokenRotated', data: { familyId: 'f', previousTokenHash: `h${i - 1}`, tokenHash: `h${i}`, expiresAt: '2030-01-02T00:00:00Z', accessTokenJti: `j${i}` } });
    }
    const state = given(events);
    // When the first, long-rotated token is presented, then the whole family goes, oldest jti first
    const [revoked] = decide(rotate('h1'), state);
    expect(revoked!.type).to.equal('RefreshTokenFamilyRevoked');
    const jtis = (revoked!.data as { accessTokenJtis: string[] }).accessTokenJtis;
    expect(jtis).to.have.length(5000);
    expect(jtis.slice(0, 3)).to.deep.equal(['j1', 'j2', 'j3']);
    expect(jtis.at(-1)).to.equal('j5000');
    // And the current token still rotates, a middle one is reuse too
    expect(decide(rotate('h5000'), state)[0]!.type).to.equal('RefreshTokenRotated');
    expect(decide(rotate('h2500'), state)[0]!.type).to.equal('RefreshTokenFamilyRevoked');
  });

  it('given a state, when evolved further, then the earlier state is unchanged (no shared mutation)', () => {
    const before = given([issued]);
    given([issued, rotated]);
    const after = evolve(before, rotated);
    expect(decide(rotate('h1'), before)[0]!.type).to.equal('RefreshTokenRotated');
    expect(decide(rotate('h1'), after)[0]!.type).to.equal('RefreshTokenFamilyRevoked');
  });
});
