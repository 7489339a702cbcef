import { expect } from 'chai';
import { toApplicationNameKey } from '../../../src/domain/application/applicationNameKey.js';
import { toUsernameKey } from '../../../src/domain/user/usernameKey.js';

describe('uniqueness keys', () => {
  it('application names: same key regardless of case and surrounding spaces', () =>
    expect(toApplicationNameKey('o', 'u', '  Billing SYNC ')).to.equal(toApplicationNameKey('o', 'u', 'billing sync')));

  it('application names: distinct per organization and per owner (including no owner)', () => {
    const keys = new Set([
      toApplicationNameKey('o1', 'u', 'x'),
      toApplicationNameKey('o2', 'u', 'x'),
      toApplicationNameKey('o1', 'u2', 'x'),
      toApplicationNameKey('o1', null, 'x'),
    ]);
    expect(keys.size).to.equal(4);
  });

  it('usernames: case-insensitive', () => expect(toUsernameKey('Jane.Doe')).to.equal(toUsernameKey('jane.doe')));
});
