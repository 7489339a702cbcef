import { expect } from 'chai';
import type { Principal } from '../../src/authorization/principal.js';
import { boundByApplication } from '../../src/authorization/tokenAuthority.js';
import {
  canViewUser,
  hasAuthorityOverUser,
  organizationsBeyondReach,
  rolesBeyondReach,
  userChangeRefusal,
  userRegistrationRefusal,
} from '../../src/authorization/userPolicy.js';

const principal = (p: Partial<Principal>): Principal => ({
  userId: 'me', username: 'me', roles: ['admin'], organizationIds: ['B'], globalAccess: false, applicationId: 'app', via: 'client', ...p,
});
const adminB = principal({});
const globalAdmin = principal({ userId: 'g', organizationIds: ['G'], globalAccess: true });
const plainB = principal({ userId: 'u', roles: ['user'] });
const userGB = { id: 'gb', organizationIds: ['G', 'B'] };
const userB = { id: 'ub', organizationIds: ['B'] };

describe('userPolicy: authority over a user is authority over all their organizations', () => {
  it('given an administrator of B, then authority over a user of B only, not over a user of G and B', () => {
    expect(hasAuthorityOverUser(adminB, userB)).to.equal(true);
    expect(hasAuthorityOverUser(adminB, userGB)).to.equal(false);
    expect(canViewUser(adminB, userGB)).to.equal(false);
  });

  it('given global access, then authority over everyone', () => {
    expect(hasAuthorityOverUser(globalAdmin, userGB)).to.equal(true);
  });

  it('given a plain user, then they see only themselves and administer nobody, themselves included', () => {
    expect(canViewUser(plainB, { id: 'u', organizationIds: ['B'] })).to.equal(true);
    expect(canViewUser(plainB, userB)).to.equal(false);
    expect(userChangeRefusal(plainB, { id: 'u', organizationIds: ['B'] }, { email: 'x@example.com' })).to.equal(undefined);
    expect(userChangeRefusal(plainB, { id: 'u', organizationIds: ['B'] }, { roles: ['admin'] })).to.be.a('string');
  });

  it('given an administrator of B, when they assign G, then refused; nobody grants what they lack', () => {
    expect(organizationsBeyondReach(adminB, ['B', 'G'])).to.deep.equal(['G']);
    expect(userChangeRefusal(adminB, { id: 'me', organizationIds: ['B'] }, { organizationIds: ['B', 'G'] })).to.match(/organizations/);
    expect(userRegistrationRefusal(adminB, { roles: ['user'], organizationIds: ['B'] })).to.equal(undefined);
    expect(userRegistrationRefusal(adminB, { roles: ['user'], organizationIds: ['A'] })).to.be.a('string');
    expect(userRegistrationRefusal(plainB, { roles: ['user'], organizationIds: ['B'] })).to.be.a('string');
  });

  it('given roles, then an administrator holds the user role too; a plain user cannot grant admin', () => {
    expect(rolesBeyondReach(adminB, ['admin', 'user'])).to.deep.equal([]);
    expect(rolesBeyondReach(plainB, ['admin', 'user'])).to.deep.equal(['admin']);
  });
});

describe('tokenAuthority: a token does no more than its application\'s organization', () => {
  const gb = principal({ userId: 'gb', organizationIds: ['G', 'B'], globalAccess: true });

  it('given an application of B (no global access), then the token acts in B only, without global access', () => {
    expect(boundByApplication(gb, { organizationId: 'B', organizationGlobalAccess: false })).to.deep.include({ organizationIds: ['B'], globalAccess: false });
  });

  it('given an application of G (global access), then the user\'s whole authority', () => {
    expect(boundByApplication(gb, { organizationId: 'G', organizationGlobalAccess: true })).to.deep.equal(gb);
  });
});
