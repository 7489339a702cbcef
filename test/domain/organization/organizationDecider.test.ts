import { expect } from 'chai';
import type { OrganizationCommand } from '../../../src/domain/organization/organizationCommands.js';
import { organizationDecider } from '../../../src/domain/organization/organizationDecider.js';
import type { OrganizationCreated, OrganizationEvent } from '../../../src/domain/organization/organizationEvents.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { metadataAt } from '../metadata.js';

const given = DeciderSpecification.for(organizationDecider);
const metadata = metadataAt();
const organizationId = 'org-1';
const created: OrganizationCreated = {
  type: 'OrganizationCreated',
  data: { organizationId, name: 'Acme', globalAccess: false },
};
const disabled: OrganizationEvent = { type: 'OrganizationDisabled', data: { organizationId } };
const create = (name: string, globalAccess = false): OrganizationCommand => ({
  type: 'CreateOrganization',
  data: { organizationId, name, globalAccess },
  metadata,
});
const rename = (name: string): OrganizationCommand => ({ type: 'RenameOrganization', data: { organizationId, name }, metadata });
const enable: OrganizationCommand = { type: 'EnableOrganization', data: { organizationId }, metadata };
const disable: OrganizationCommand = { type: 'DisableOrganization', data: { organizationId }, metadata };

describe('organization decider', () => {
  describe('CreateOrganization', () => {
    it('creates an organization with a trimmed name', () =>
      given([]).when(create('  Acme  ', true)).then([
        { type: 'OrganizationCreated', data: { organizationId, name: 'Acme', globalAccess: true } },
      ]));

    it('refuses an empty, blank or 256-character name', () => {
      for (const name of ['', '   ', 'x'.repeat(256)]) {
        const error = given([]).when(create(name)).thenThrows('VALIDATION');
        expect(error.errors.map((e) => e.field)).to.deep.equal(['name']);
      }
    });

    it('accepts a 255-character name', () =>
      given([]).when(create('x'.repeat(255))).thenState((s) => expect(s).to.include({ name: 'x'.repeat(255) })));

    it('refuses a name with control characters', () => given([]).when(create('Ac\u0000me')).thenThrows('VALIDATION'));

    it('refuses a second creation', () => given([created]).when(create('Other')).thenThrows('ALREADY_EXISTS'));

    it('starts enabled', () => given([]).when(create('Acme')).thenState((s) => expect(s.status).to.equal('Enabled')));
  });

  describe('RenameOrganization', () => {
    it('renames, recording the previous name', () =>
      given([created]).when(rename('Acme Corp')).then([
        { type: 'OrganizationRenamed', data: { organizationId, name: 'Acme Corp', previousName: 'Acme' } },
      ]));

    it('records nothing when the name is the same', () => given([created]).when(rename(' Acme ')).thenNothingHappened());

    it('refuses an invalid name', () => given([created]).when(rename('')).thenThrows('VALIDATION'));

    it('is NOT_FOUND on an unknown organization', () => given([]).when(rename('X')).thenThrows('NOT_FOUND'));
  });

  describe('EnableOrganization / DisableOrganization', () => {
    it('disables an enabled organization', () => given([created]).when(disable).then([disabled]));

    it('is idempotent when already disabled', () => given([created, disabled]).when(disable).thenNothingHappened());

    it('enables a disabled organization', () =>
      given([created, disabled]).when(enable).then([{ type: 'OrganizationEnabled', data: { organizationId } }]));

    it('is idempotent when already enabled', () => given([created]).when(enable).thenNothingHappened());

    it('is NOT_FOUND on an unknown organization', () => {
      given([]).when(enable).thenThrows('NOT_FOUND');
      given([]).when(disable).thenThrows('NOT_FOUND');
    });
  });

  describe('evolve', () => {
    it('folds a history into the current state', () => {
      const history: OrganizationEvent[] = [
        created,
        { type: 'OrganizationRenamed', data: { organizationId, name: 'B', previousName: 'Acme' } },
        disabled,
      ];
      expect(history.reduce(organizationDecider.evolve, organizationDecider.initialState())).to.deep.equal({
        status: 'Disabled',
        organizationId,
        name: 'B',
        globalAccess: false,
      });
    });

    it('ignores an event type it does not know (written by a newer version)', () => {
      const unknown = { type: 'OrganizationMerged', data: {} } as unknown as OrganizationEvent;
      const state = [created, unknown].reduce(organizationDecider.evolve, organizationDecider.initialState());
      expect(state).to.deep.equal({ status: 'Enabled', organizationId, name: 'Acme', globalAccess: false });
    });
  });
});
