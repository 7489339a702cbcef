import { DomainError } from '../domain/shared/domainError.js';
import { batchDecider } from '../domain/shared/batchDecider.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { toUserStreamName } from '../domain/shared/streamNames.js';
import type { UserCommand } from '../domain/user/userCommands.js';
import { userDecider } from '../domain/user/userDecider.js';
import type { UserRole, UserState } from '../domain/user/userEvents.js';
import { hashPassword, verifyPassword } from '../security/passwordHash.js';
import type { CommandDeps } from './commandDeps.js';
import type { HandleResult } from './commandHandler.js';
import { loadUser } from './lookups.js';
import { checkOrganizationsExist } from './organizationChecks.js';
import { passwordErrors, throwValidation } from './userCommands.js';

/** The fields of a user an edit may change; each is optional. */
export interface UserChanges {
  email?: string;
  locale?: string;
  organizationIds?: string[];
  roles?: UserRole[];
  enabled?: boolean;
  locked?: boolean;
  password?: string;
}

export interface UpdateUserInput {
  userId: string;
  changes: UserChanges;
  /**
   * Set when the caller changes their own password (userPolicy.passwordChangeNeedsCurrentPassword):
   * the current password must be given and right.
   */
  requireCurrentPassword?: boolean;
  currentPassword?: string;
  expectedRevision?: number;
}

/** All changes of one edit land in one append, or none. */
const userEditDecider = batchDecider(userDecider);

/**
 * The one write path for editing a user (admin API and console): validates the password and
 * the organizations (cross-aggregate: each must exist, a 400 naming `organizationIds`
 * otherwise, as registration does), checks the current password when required, hashes the
 * new one, then appends every change in one batch with the caller's expected revision.
 * Authorization (who may change what) is the caller's, through src/authorization/userPolicy.ts.
 */
export async function updateUser(
  deps: CommandDeps,
  input: UpdateUserInput,
  metadata: CommandMetadata,
): Promise<HandleResult<UserState>> {
  const { userId, changes } = input;
  if (changes.password !== undefined) {
    const errors = passwordErrors(changes.password);
    if (errors.length > 0) throwValidation(errors);
  }
  if (changes.organizationIds !== undefined) await checkOrganizationsExist(deps.store, changes.organizationIds);
  if (changes.password !== undefined && input.requireCurrentPassword) {
    await checkCurrentPassword(deps, userId, input.currentPassword);
  }
  const commands: UserCommand[] = [];
  if (changes.email !== undefined || changes.locale !== undefined || changes.organizationIds !== undefined) {
    commands.push({
      type: 'UpdateUserProfile',
      data: { userId, email: changes.email, locale: changes.locale, organizationIds: changes.organizationIds },
      metadata,
    });
  }
  if (changes.roles) commands.push({ type: 'ChangeUserRoles', data: { userId, roles: changes.roles }, metadata });
  if (changes.enabled !== undefined) {
    commands.push({ type: changes.enabled ? 'EnableUser' : 'DisableUser', data: { userId }, metadata });
  }
  if (changes.locked !== undefined) {
    commands.push({ type: changes.locked ? 'LockUser' : 'UnlockUser', data: { userId }, metadata });
  }
  if (changes.password !== undefined) {
    commands.push({ type: 'ChangePassword', data: { userId, passwordHash: await hashPassword(changes.password) }, metadata });
  }
  return deps.handler.handle(
    userEditDecider,
    toUserStreamName(userId),
    { metadata, commands },
    input.expectedRevision === undefined ? {} : { expectedRevision: input.expectedRevision },
  );
}

/** A missing current password is a 400 naming the field; a wrong one a 403 (same wording whatever is wrong). */
async function checkCurrentPassword(deps: CommandDeps, userId: string, currentPassword: string | undefined): Promise<void> {
  if (currentPassword === undefined || currentPassword === '') {
    throwValidation([{ field: 'currentPassword', message: 'is required to change your own password' }]);
  }
  const { state } = await loadUser(deps.store, userId);
  const stored = state.status === 'Empty' ? null : state.passwordHash;
  if (!(await verifyPassword(currentPassword, stored))) {
    throw new DomainError('FORBIDDEN', 'The current password is wrong.', [
      { field: 'currentPassword', message: 'is wrong' },
    ]);
  }
}
