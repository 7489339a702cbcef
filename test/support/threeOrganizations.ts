/**
 * The three-organization setup of issue 11, through real HTTP on one real server:
 * - G: the bootstrap organization, with global access; A and B without.
 * - In each: an administrator and a plain user (`admin.G` is the bootstrap administrator).
 * - `adminGB`: an administrator who belongs to both G and B.
 * Every user is signed in through a password-grant application of their first organization
 * (`adminGB` through G's, so their token carries their whole authority).
 */
import {
  createOrganization,
  createUser,
  passwordToken,
  startAdmin,
  unique,
  type Admin,
  type TestUser,
} from '../admin/adminKit.js';

export { http, expectProblem, expectFieldError, USER_PASSWORD, unique, type TestUser, type HttpResult } from '../admin/adminKit.js';

export interface ThreeOrganizations {
  server: Admin['server'];
  url: string;
  /** The bootstrap administrator (global access through G), for set-up steps. */
  root: Admin;
  org: { G: string; A: string; B: string };
  admin: { G: TestUser; A: TestUser; B: TestUser };
  user: { G: TestUser; A: TestUser; B: TestUser };
  /** Administrator of G and B. */
  adminGB: TestUser;
  /** Signs a user in again through a password application of this organization. */
  signIn(username: string, organizationId: string, password?: string): ReturnType<typeof passwordToken>;
  stop(): Promise<void>;
}

export async function startThreeOrganizations(env: Record<string, string> = {}): Promise<ThreeOrganizations> {
  const root = await startAdmin(env);
  const G = root.orgA;
  const [A, B] = await Promise.all([createOrganization(root, unique('Org A')), createOrganization(root, unique('Org B'))]);
  const me = { id: root.adminId, username: 'admin', token: root.token };
  const [adminA, adminB, userG, userA, userB, adminGB] = await Promise.all([
    createUser(root, { organizationIds: [A], roles: ['admin'] }),
    createUser(root, { organizationIds: [B], roles: ['admin'] }),
    createUser(root, { organizationIds: [G] }),
    createUser(root, { organizationIds: [A] }),
    createUser(root, { organizationIds: [B] }),
    createUser(root, { organizationIds: [G, B], roles: ['admin'] }),
  ]);
  return {
    server: root.server,
    url: root.url,
    root,
    org: { G, A, B },
    admin: { G: me, A: adminA, B: adminB },
    user: { G: userG, A: userA, B: userB },
    adminGB,
    signIn: (username, organizationId, password) => passwordToken(root, username, password, organizationId),
    stop: () => root.server.stop(),
  };
}
