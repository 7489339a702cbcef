import { batchDecider } from '../domain/shared/batchDecider.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { toUserStreamName } from '../domain/shared/streamNames.js';
import type { UserCommand } from '../domain/user/userCommands.js';
import { userDecider } from '../domain/user/userDecider.js';
import type { UserRole, UserState } from '../domain/user/userEvents.js';
import { hashPassword } from '../security/passwordHash.js';
import type { CommandDeps } from './commandDeps.js';
import type { HandleResult } from './commandHandler.js';

export interface UserEdit {
  email?: string;
  locale?: string;
  organizationIds?: string[];
  roles?: UserRole[];
  enabled?: boolean;
  locked?: boolean;
  password?: string;
}

const userEditDecider = batchDecider(userDecider);

/** Every change of one edit in one append (profile, roles, enabling, locking, password). */
export async function editUser(
  deps: CommandDeps,
  input: { userId: string; changes: UserEdit; expectedRevision?: number },
  metadata: CommandMetadata,
): Promise<HandleResult<UserState>> {
  const { userId, changes: body } = input;
  const commands: UserCommand[] = [];
  if (body.email !== undefined || body.locale !== undefined || body.organizationIds !== undefined) {
    commands.push({
      type: 'UpdateUserProfile',
      data: { userId, email: body.email, locale: body.locale, organizationIds: body.organizationIds },
      metadata,
    });
  }
  if (body.roles) commands.push({ type: 'ChangeUserRoles', data: { userId, roles: body.roles }, metadata });
  if (body.enabled !== undefined) {
    commands.push({ type: body.enabled ? 'EnableUser' : 'DisableUser', data: { userId }, metadata });
  }
  if (body.locked !== undefined) {
    commands.push({ type: body.locked ? 'LockUser' : 'UnlockUser', data: { userId }, metadata });
  }
  if (body.password !== undefined) {
    commands.push({ type: 'ChangePassword', data: { userId, passwordHash: await hashPassword(body.password) }, metadata });
  }
  return deps.handler.handle(
    userEditDecider,
    toUserStreamName(userId),
    { metadata, commands },
    input.expectedRevision === undefined ? {} : { expectedRevision: input.expectedRevision },
  );
}
