import { expect } from 'chai';
import * as applicationPolicy from '../../src/authorization/applicationPolicy.js';
import * as organizationPolicy from '../../src/authorization/organizationPolicy.js';
import type { Principal } from '../../src/authorization/principal.js';
import { isAdmin } from '../../src/authorization/principal.js';
import { isReadOnly, READ_ONLY_REFUSAL, readsAsAdministrator, writeRefusal } from '../../src/authorization/readOnlyAccess.js';
import * as userPolicy from '../../src/authorization/userPolicy.js';

const principal = (p: Partial<Principal>): Principal => ({
  userId: 'me', username: 'me', roles: ['admin'], organizationIds: ['B'], globalAccess: false, applicationId: 'app', via: 'client', ...p,
});
const adminB = principal({ userId: 'adminB' });
const auditorB = principal({ userId: 'auditorB', roles: ['auditor'] });
const globalAdmin = principal({ userId: 'g', organizationIds: ['G'], globalAccess: true });
const globalAuditor = principal({ userId: 'ga', roles: ['auditor'], organizationIds: ['G'], globalAccess: true });
const userB = { id: 'ub', organizationIds: ['B'] };
const userGB = { id: 'gb', organizationIds: ['G', 'B'] };
const appB = { organizationId: 'B', ownerUserId: 'ub' };
const appA = { organizationId: 'A', ownerUserId: 'ua' };

/**
 * The read-only role, predicate by predicate: an auditor is answered like an administrator of
 * the same organizations for every read and refused every write, so the admin API and the
 * console (which call these) agree.
 */
describe('readOnlyAccess: an auditor reads what an administrator of the same organizations reads and changes nothing', () => {
  it('given an auditor, then read-only with the one message; an administrator is not', () => {
    expect(isReadOnly(auditorB)).to.equal(true);
    expect(writeRefusal(auditorB)).to.equal(READ_ONLY_REFUSAL);
    expect(READ_ONLY_REFUSAL).to.equal('Auditors have read-only access.');
    expect(writeRefusal(adminB)).to.equal(undefined);
    expect(readsAsAdministrator(auditorB)).to.equal(true);
    expect(isAdmin(auditorB)).to.equal(false);
  });

  it('given roles that somehow hold auditor and admin together, then read-only wins', () => {
    const both = principal({ roles: ['admin', 'auditor'] });
    expect(isAdmin(both)).to.equal(false);
    expect(writeRefusal(both)).to.equal(READ_ONLY_REFUSAL);
  });

  const pairs = [
    ['of B', adminB, auditorB],
    ['with global access', globalAdmin, globalAuditor],
  ] as const;

  for (const [where, admin, auditor] of pairs) {
    it(`given an auditor ${where}, when asked every read, then the answers are the administrator's`, () => {
      const reads: Array<[string, (p: Principal) => unknown]> = [
        ['canViewApplication B', (p) => applicationPolicy.canViewApplication(p, appB)],
        ['canViewApplication A', (p) => applicationPolicy.canViewApplication(p, appA)],
        ['canSeeOrganization G', (p) => applicationPolicy.canSeeOrganization(p, 'G')],
        ['gridScope', (p) => applicationPolicy.gridScope(p)],
        ['canViewUser B', (p) => userPolicy.canViewUser(p, userB)],
        ['canViewUser GB', (p) => userPolicy.canViewUser(p, userGB)],
        ['canViewUserHistory B', (p) => userPolicy.canViewUserHistory(p, userB)],
        ['canViewUserHistory GB', (p) => userPolicy.canViewUserHistory(p, userGB)],
        ['canReadAsUser B', (p) => userPolicy.canReadAsUser(p, userB)],
        ['canListUsers', (p) => userPolicy.canListUsers(p)],
        ['userDirectoryScope', (p) => userPolicy.userDirectoryScope(p)],
        ['canReadNotificationSettings', (p) => organizationPolicy.canReadNotificationSettings(p)],
      ];
      for (const [name, read] of reads) expect(read(auditor), name).to.deep.equal(read(admin));
    });

    it(`given an auditor ${where}, when asked every write the administrator may do, then each is refused`, () => {
      const writes: Array<[string, (p: Principal) => boolean]> = [
        ['canManageApplication', (p) => applicationPolicy.canManageApplication(p, appB)],
        ['canCreateInOrganization', (p) => applicationPolicy.canCreateInOrganization(p, 'B')],
        ['canOwnApplicationAs', (p) => applicationPolicy.canOwnApplicationAs(p, userB, 'B')],
        ['canOwnApplicationAs (oneself)', (p) => applicationPolicy.canOwnApplicationAs(p, { id: p.userId, organizationIds: ['B'] }, 'B')],
        ['canActThroughApplication', (p) => applicationPolicy.canActThroughApplication(p, userB)],
        ['canActThroughApplication (no owner)', (p) => applicationPolicy.canActThroughApplication(p, undefined)],
        ['canAdministerUser', (p) => userPolicy.canAdministerUser(p, userB)],
        ['canEditUserProfile', (p) => userPolicy.canEditUserProfile(p, userB)],
        ['canEditUserProfile (oneself)', (p) => userPolicy.canEditUserProfile(p, { id: p.userId, organizationIds: ['B'] })],
        ['canActAsUser', (p) => userPolicy.canActAsUser(p, userB)],
        ['canActAsUser (oneself)', (p) => userPolicy.canActAsUser(p, { id: p.userId, organizationIds: ['B'] })],
        ['canRegisterUsers', (p) => userPolicy.canRegisterUsers(p)],
        ['userChangeRefusal (email)', (p) => userPolicy.userChangeRefusal(p, userB, { email: 'x@example.test' }) === undefined],
        ['userChangeRefusal (enabled)', (p) => userPolicy.userChangeRefusal(p, userB, { enabled: false }) === undefined],
        ['userChangeRefusal (password of another)', (p) => userPolicy.userChangeRefusal(p, userB, { password: 'x' }) === undefined],
        ['userRegistrationRefusal', (p) => userPolicy.userRegistrationRefusal(p, { roles: ['user'], organizationIds: ['B'] }) === undefined],
        ['canManageOrganization', (p) => organizationPolicy.canManageOrganization(p, 'B')],
      ];
      if (admin.globalAccess) {
        writes.push(['canCreateOrganizations', (p) => organizationPolicy.canCreateOrganizations(p)]);
        writes.push(['canChangeNotificationSettings', (p) => organizationPolicy.canChangeNotificationSettings(p)]);
      }
      for (const [name, write] of writes) {
        expect(write(admin), `${name}: the administrator may`).to.equal(true);
        expect(write(auditor), `${name}: the auditor may not`).to.equal(false);
      }
    });
  }

  it('given an auditor, when they change their own password only, then allowed; anything else of theirs refused with the message', () => {
    const self = { id: auditorB.userId, organizationIds: ['B'] };
    expect(userPolicy.userChangeRefusal(auditorB, self, { password: 'new-password-1' })).to.equal(undefined);
    expect(userPolicy.passwordChangeNeedsCurrentPassword(auditorB, self)).to.equal(true);
    for (const change of [{ email: 'a@example.test' }, { locale: 'fr' }, { password: 'new-password-1', locale: 'fr' }, { roles: ['admin' as const] }, { enabled: false }, {}]) {
      expect(userPolicy.userChangeRefusal(auditorB, self, change), JSON.stringify(change)).to.equal(READ_ONLY_REFUSAL);
    }
  });

  it('given granting, then an administrator holds auditor for the organizations they administer; an auditor grants nothing', () => {
    expect(userPolicy.rolesBeyondReach(adminB, ['auditor'])).to.deep.equal([]);
    expect(userPolicy.userRegistrationRefusal(adminB, { roles: ['auditor'], organizationIds: ['B'] })).to.equal(undefined);
    expect(userPolicy.userRegistrationRefusal(adminB, { roles: ['auditor'], organizationIds: ['A'] })).to.be.a('string');
    expect(userPolicy.userChangeRefusal(adminB, userB, { roles: ['auditor'] })).to.equal(undefined);
    expect(userPolicy.userChangeRefusal(adminB, userGB, { roles: ['auditor'] })).to.be.a('string');
    expect(userPolicy.rolesBeyondReach(principal({ roles: ['user'] }), ['auditor'])).to.deep.equal(['auditor']);
    expect(userPolicy.userRegistrationRefusal(globalAuditor, { roles: ['auditor'], organizationIds: ['G'] })).to.equal(READ_ONLY_REFUSAL);
  });
});
