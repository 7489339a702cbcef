import { expect } from 'chai';
import { evolveApplication, initialApplicationState } from '../../../src/domain/application/applicationDecider.js';
import type { ApplicationEvent, ApplicationState } from '../../../src/domain/application/applicationEvents.js';
import { validSecretHashes } from '../../../src/domain/application/applicationSecrets.js';
import { applicationId, created, deactivated, deleted, rotated } from './fixtures.js';

const at = (iso: string) => ({ metadata: { occurredAt: iso } });
const fold = (events: (ApplicationEvent & { metadata?: { occurredAt?: string } })[]): ApplicationState =>
  events.reduce(evolveApplication, initialApplicationState());

describe('application evolve', () => {
  it('takes createdAt and updatedAt from recorded metadata', () => {
    const state = fold([{ ...created, ...at('2025-01-01T00:00:00.000Z') }, { ...deactivated, ...at('2025-01-02T00:00:00.000Z') }]);
    expect(state).to.include({ status: 'Inactive', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-02T00:00:00.000Z' });
  });

  it('never keeps the secret hash outside the secrets list, and the list starts with the current one', () => {
    const state = fold([created]);
    expect(state).not.to.have.property('secretHash');
    expect(state).to.deep.include({ secrets: [{ hash: 'sha256$salt$hash', validUntil: null }] });
  });

  it('starts inactive when created inactive', () =>
    expect(fold([{ ...created, data: { ...created.data, active: false } }]).status).to.equal('Inactive'));

  it('applies updates field by field', () => {
    const state = fold([
      created,
      { type: 'ApplicationUpdated', data: { applicationId, changes: { name: { from: 'Billing sync', to: 'B' }, scopes: { from: [], to: ['x'] } } } },
    ]);
    expect(state).to.deep.include({ name: 'B', scopes: ['x'], organizationId: 'org-1' });
  });

  it('applies only editable fields from an update record', () => {
    const forged = { type: 'ApplicationUpdated', data: { applicationId, changes: { status: { from: 'Active', to: 'Deleted' }, ownerUserId: { from: 'user-1', to: 'x' } } } };
    expect(fold([created, forged as unknown as ApplicationEvent])).to.deep.include({ status: 'Active', ownerUserId: 'user-1' });
  });

  it('ignores events before creation and unknown event types', () => {
    expect(fold([deactivated])).to.deep.equal({ status: 'Empty' });
    const unknown = { type: 'ApplicationRenamedInFuture', data: {} } as unknown as ApplicationEvent;
    expect(fold([created, unknown])).to.deep.equal(fold([created]));
  });

  it('marks the application deleted', () => expect(fold([created, deleted]).status).to.equal('Deleted'));

  describe('secrets and validSecretHashes', () => {
    const t0 = '2025-01-01T00:00:00.000Z';
    const graceEnd = '2025-01-01T01:00:00.000Z';

    it('after a rotation without grace only the new secret is valid', () => {
      const state = fold([created, rotated('h2', null)]);
      expect(validSecretHashes(state, new Date(t0))).to.deep.equal(['h2']);
    });

    it('keeps the previous secret until its grace ends, then drops it lazily', () => {
      const state = fold([created, { ...rotated('h2', graceEnd), ...at(t0) }]);
      expect(validSecretHashes(state, new Date('2025-01-01T00:59:59.999Z'))).to.deep.equal(['h2', 'sha256$salt$hash']);
      expect(validSecretHashes(state, new Date(graceEnd))).to.deep.equal(['h2']);
    });

    it('keeps several secrets in grace across rotations, dropping those already expired at rotation time', () => {
      const state = fold([
        created,
        { ...rotated('h2', '2025-01-01T00:30:00.000Z'), ...at(t0) },
        { ...rotated('h3', graceEnd), ...at('2025-01-01T00:10:00.000Z') },
        { ...rotated('h4', '2025-01-01T02:00:00.000Z'), ...at('2025-01-01T00:40:00.000Z') },
      ]);
      // 'sha256$salt$hash' expired at 00:30, before the third rotation: gone from state.
      expect(state.status !== 'Empty' && state.secrets.map((s) => s.hash)).to.deep.equal(['h4', 'h3', 'h2']);
      expect(validSecretHashes(state, new Date('2025-01-01T00:45:00.000Z'))).to.deep.equal(['h4', 'h3', 'h2']);
      expect(validSecretHashes(state, new Date(graceEnd))).to.deep.equal(['h4', 'h3']);
    });

    it('no secret is valid for an unknown or deleted application', () => {
      expect(validSecretHashes(fold([]), new Date(t0))).to.deep.equal([]);
      expect(validSecretHashes(fold([created, deleted]), new Date(t0))).to.deep.equal([]);
    });
  });
});
