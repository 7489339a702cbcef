import type { UserState } from '../domain/user/userEvents.js';

export type RegisteredUser = Exclude<UserState, { status: 'Empty' }>;

/** The user as the admin API shows it: never the password hash. */
export function userResource(state: RegisteredUser, revision: number) {
  return {
    id: state.userId,
    kind: state.kind,
    username: state.username,
    email: state.email,
    locale: state.locale,
    roles: [...state.roles],
    organizationIds: [...state.organizationIds],
    enabled: state.enabled,
    locked: state.locked,
    revision,
  };
}
