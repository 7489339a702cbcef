/**
 * Users directory. Every user event moves the row's revision (so it always names the stream
 * revision it reflects); events with no visible field (password, login failures, temporary
 * lockouts) change
 * nothing else. Password hashes never reach the read model.
 */
import type {
  UserDisabled,
  UserEnabled,
  UserLocked,
  UserProfileUpdated,
  UserRegistered,
  UserRolesChanged,
  UserUnlocked,
} from '../src/domain/user/userEvents.js';
import { idFromStreamName, streamPrefixes } from '../src/domain/shared/streamNames.js';
import type { RecordedEvent } from '../src/eventStore/eventStore.js';
import { on, type Projection, type ProjectionHandler } from './projection.js';
import type { ReadModel, UserRow } from './readModel.js';

async function updateRow(
  readModel: ReadModel,
  userId: string,
  event: RecordedEvent,
  change: (row: UserRow) => UserRow,
): Promise<void> {
  const current = await readModel.users.get(userId);
  if (!current || current.revision >= event.revision) return;
  await readModel.users.upsert({ ...change(current), revision: event.revision });
}

const revisionOnly: ProjectionHandler = (event, readModel) =>
  updateRow(readModel, idFromStreamName(event.streamName), event, (row) => row);

export const userDirectoryProjection: Projection = {
  name: 'userDirectory',
  streamPrefixes: [streamPrefixes.user],
  handlers: {
    UserRegistered: on<UserRegistered>(async (data, event, readModel) => {
      await readModel.users.upsert({
        id: data.userId,
        kind: data.kind,
        username: data.username,
        email: data.email,
        locale: data.locale,
        roles: [...data.roles],
        organizationIds: [...data.organizationIds],
        enabled: true,
        locked: false,
        createdAt: event.metadata.occurredAt,
        revision: event.revision,
      });
    }),
    UserProfileUpdated: on<UserProfileUpdated>((data, event, readModel) =>
      updateRow(readModel, data.userId, event, (row) => ({
        ...row,
        email: data.changes.email?.to ?? row.email,
        locale: data.changes.locale?.to ?? row.locale,
        organizationIds: data.changes.organizationIds ? [...data.changes.organizationIds.to] : row.organizationIds,
      })),
    ),
    UserEnabled: on<UserEnabled>((data, event, readModel) =>
      updateRow(readModel, data.userId, event, (row) => ({ ...row, enabled: true })),
    ),
    UserDisabled: on<UserDisabled>((data, event, readModel) =>
      updateRow(readModel, data.userId, event, (row) => ({ ...row, enabled: false })),
    ),
    // A first-release lock after login failures is a temporary lockout now (userDecider), not a lock.
    UserLocked: on<UserLocked>((data, event, readModel) =>
      updateRow(readModel, data.userId, event, (row) => ({ ...row, locked: row.locked || data.reason !== 'loginFailures' })),
    ),
    UserUnlocked: on<UserUnlocked>((data, event, readModel) =>
      updateRow(readModel, data.userId, event, (row) => ({ ...row, locked: false })),
    ),
    UserRolesChanged: on<UserRolesChanged>((data, event, readModel) =>
      updateRow(readModel, data.userId, event, (row) => ({ ...row, roles: [...data.roles] })),
    ),
    UserPasswordChanged: revisionOnly,
    UserLoginFailed: revisionOnly,
    UserLoginFailuresReset: revisionOnly,
    UserSignedIn: revisionOnly,
    UserSignedOut: revisionOnly,
    UserLockedOut: revisionOnly,
    UserLockoutEnded: revisionOnly,
  },
};
