import { expect } from 'chai';
import { applicationDecider } from '../../../src/domain/application/applicationDecider.js';
import type { ApplicationCommand } from '../../../src/domain/application/applicationCommands.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { applicationId, command, created, deactivated, deleted, metadata, rotated } from './fixtures.js';

const given = DeciderSpecification.for(applicationDecider);
const activated = { type: 'ApplicationActivated', data: { applicationId } } as const;

describe('application decider: lifecycle', () => {
  describe('ActivateApplication / DeactivateApplication', () => {
    it('deactivates an active application', () => given([created]).when(command('DeactivateApplication')).then([deactivated]));
    it('activates an inactive application', () =>
      given([created, deactivated]).when(command('ActivateApplication')).then([activated]));
    it('is idempotent: no event when already in the asked status', () => {
      given([created]).when(command('ActivateApplication')).thenNothingHappened();
      given([created, deactivated]).when(command('DeactivateApplication')).thenNothingHappened();
    });
    it('deactivates a password-grant application too', () => {
      const passwordApp = { ...created, data: { ...created.data, grants: ['password', 'refresh_token'] as const } };
      given([passwordApp as never]).when(command('DeactivateApplication')).then([deactivated]);
    });
  });

  describe('RotateApplicationSecret', () => {
    const rotate = (graceSeconds?: number): ApplicationCommand =>
      command('RotateApplicationSecret', { secretHash: 'new-hash', ...(graceSeconds !== undefined && { graceSeconds }) });

    it('by default stops the previous secret at once', () =>
      given([created]).when(rotate()).then([rotated('new-hash', null)]));

    it('keeps the previous secret valid for the grace period, from the command time', () =>
      given([created]).when(rotate(3600)).then([rotated('new-hash', new Date(metadata.now.getTime() + 3_600_000).toISOString())]));

    it('refuses a negative, fractional or over-30-day grace and a missing hash', () => {
      for (const grace of [-1, 1.5, 30 * 24 * 3600 + 1]) given([created]).when(rotate(grace)).thenThrows('VALIDATION');
      given([created]).when(command('RotateApplicationSecret', { secretHash: '' })).thenThrows('VALIDATION');
    });

    it('works on an inactive application', () =>
      given([created, deactivated]).when(rotate()).then([rotated('new-hash', null)]));
  });

  describe('DeleteApplication', () => {
    it('deletes', () => given([created, deactivated]).when(command('DeleteApplication')).then([deleted]));
    it("refuses to delete Tollgate's own (first-party) client; deactivating it still works", () => {
      const own = { ...created, data: { ...created.data, firstParty: true as const } };
      given([own]).when(command('DeleteApplication')).thenThrows('FORBIDDEN');
      given([own]).when(command('DeactivateApplication')).then([deactivated]);
    });
    it('leaves a deleted state that keeps its fields for history', () =>
      given([created]).when(command('DeleteApplication')).thenState((s) => expect(s).to.include({ status: 'Deleted', name: 'Billing sync' })));
  });

  it('answers NOT_FOUND for everything on an unknown or deleted application', () => {
    const commands: ApplicationCommand[] = [
      command('ActivateApplication'),
      command('DeactivateApplication'),
      command('RotateApplicationSecret', { secretHash: 'h' }),
      command('DeleteApplication'),
    ];
    for (const c of commands) {
      given([]).when(c).thenThrows('NOT_FOUND');
      given([created, deleted]).when(c).thenThrows('NOT_FOUND');
    }
  });
});
