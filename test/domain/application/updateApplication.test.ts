import { expect } from 'chai';
import { applicationDecider } from '../../../src/domain/application/applicationDecider.js';
import type { ApplicationEvent } from '../../../src/domain/application/applicationEvents.js';
import { DeciderSpecification } from '../../support/deciderSpecification.js';
import { applicationId, command, created, deleted } from './fixtures.js';

const given = DeciderSpecification.for(applicationDecider);
const update = (changes: object) => command('UpdateApplication', { changes });

describe('application decider: UpdateApplication', () => {
  it('records exactly the changed fields with their old and new values', () =>
    given([created])
      .when(update({ name: 'Billing', description: 'Nightly', allApis: true, scopes: [] }))
      .then([
        {
          type: 'ApplicationUpdated',
          data: {
            applicationId,
            changes: { name: { from: 'Billing sync', to: 'Billing' }, description: { from: null, to: 'Nightly' } },
          },
        },
      ]));

  it('records nothing when nothing changed (lists compare as sets)', () => {
    const withScopes: ApplicationEvent = { ...created, data: { ...created.data, scopes: ['a', 'b'] } };
    given([withScopes]).when(update({ name: ' Billing sync ', scopes: ['b', 'a'] })).thenNothingHappened();
    given([created]).when(update({})).thenNothingHappened();
  });

  it('applies the changes to the state', () =>
    given([created])
      .when(update({ allApis: false, apis: ['scim'], organizationId: 'org-2' }))
      .thenState((s) => expect(s).to.deep.include({ allApis: false, apis: ['scim'], organizationId: 'org-2', name: 'Billing sync' })));

  it('refuses turning allApis off without APIs, judging the merged result', () => {
    given([created]).when(update({ allApis: false })).thenThrows('VALIDATION');
    const limited: ApplicationEvent = { ...created, data: { ...created.data, allApis: false, apis: ['scim'] } };
    given([limited]).when(update({ apis: [] })).thenThrows('VALIDATION');
  });

  it('refuses invalid values with per-field errors', () => {
    const error = given([created]).when(update({ name: '', applicationUrl: 'mailto:x@y', scopes: ['a b'] })).thenThrows('VALIDATION');
    expect(error.errors.map((e) => e.field)).to.deep.equal(['name', 'scopes', 'applicationUrl']);
  });

  it('refuses a change of grants, owner, frontend flag or client id, naming the field', () => {
    const attempts: [string, unknown][] = [
      ['grants', ['password']],
      ['ownerUserId', 'user-2'],
      ['ownerUserId', null],
      ['frontend', true],
      ['clientId', 'other'],
    ];
    for (const [field, value] of attempts) {
      const error = given([created]).when(update({ [field]: value })).thenThrows('IMMUTABLE_FIELD');
      expect(error.errors).to.deep.equal([{ field, message: 'cannot be changed after creation' }]);
    }
  });

  it('accepts fixed fields repeated with their current value', () =>
    given([created])
      .when(update({ grants: ['client_credentials'], ownerUserId: 'user-1', frontend: false, clientId: created.data.clientId, name: 'B' }))
      .then([{ type: 'ApplicationUpdated', data: { applicationId, changes: { name: { from: 'Billing sync', to: 'B' } } } }]));

  it('is NOT_FOUND on an unknown or deleted application', () => {
    given([]).when(update({ name: 'x' })).thenThrows('NOT_FOUND');
    given([created, deleted]).when(update({ name: 'x' })).thenThrows('NOT_FOUND');
  });
});
