import { DomainError, isDomainError, type FieldError } from '../domain/shared/domainError.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { toUserStreamName } from '../domain/shared/streamNames.js';
import type { RegisterUser } from '../domain/user/userCommands.js';
import { decideUser, initialUserState, userDecider } from '../domain/user/userDecider.js';
import type { UserKind, UserRole, UserState } from '../domain/user/userEvents.js';
import { USERNAME_SCOPE, toUsernameKey } from '../domain/user/usernameKey.js';
import { newId } from '../security/ids.js';
import { MAX_PASSWORD_LENGTH, hashPassword } from '../security/passwordHash.js';
import type { CommandDeps } from './commandDeps.js';
import type { HandleResult } from './commandHandler.js';
import { userHoldsUsername } from './lookups.js';
import { checkOrganizationsExist } from './organizationChecks.js';
import { reserveUniqueKey } from './uniqueKeys.js';

export const MIN_PASSWORD_LENGTH = 8;

export interface RegisterUserInput {
  username: string;
  email: string;
  password: string;
  kind: UserKind;
  roles: UserRole[];
  organizationIds: string[];
  locale?: string;
  userId?: string;
}

export const passwordErrors = (password: unknown): FieldError[] =>
  typeof password === 'string' && password.length >= MIN_PASSWORD_LENGTH && password.length <= MAX_PASSWORD_LENGTH
    ? []
    : [{ field: 'password', message: `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters` }];

export const throwValidation = (errors: FieldError[]): never => {
  throw new DomainError('VALIDATION', `Invalid user: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
};

/**
 * Registers a user: validate everything (reporting all field errors at once) before the
 * slow password hash, check the organizations exist, reserve the username
 * (case-insensitively unique), then append UserRegistered with the scrypt hash.
 */
export const registerUser = async (
  deps: CommandDeps,
  input: RegisterUserInput,
  metadata: CommandMetadata,
): Promise<HandleResult<UserState>> => {
  const userId = input.userId ?? newId();
  const { password, userId: _ignored, ...profile } = input;
  const command = (passwordHash: string): RegisterUser => ({
    type: 'RegisterUser',
    data: { ...profile, userId, passwordHash },
    metadata,
  });
  const errors = passwordErrors(password);
  try {
    decideUser(command('not-yet-hashed'), initialUserState());
  } catch (error) {
    if (!isDomainError(error) || error.code !== 'VALIDATION') throw error;
    errors.push(...error.errors);
  }
  if (errors.length > 0) throwValidation(errors);
  await checkOrganizationsExist(deps.store, input.organizationIds);
  await reserveUniqueKey(
    deps,
    { scope: USERNAME_SCOPE, key: toUsernameKey(input.username), ownerId: userId, field: 'username' },
    userHoldsUsername(deps.store),
    metadata,
  );
  return deps.handler.handle(userDecider, toUserStreamName(userId), command(await hashPassword(password)));
};

export const changeUserPassword = async (
  deps: CommandDeps,
  input: { userId: string; password: string; expectedRevision?: number },
  metadata: CommandMetadata,
): Promise<HandleResult<UserState>> => {
  const errors = passwordErrors(input.password);
  if (errors.length > 0) throwValidation(errors);
  const passwordHash = await hashPassword(input.password);
  return deps.handler.handle(
    userDecider,
    toUserStreamName(input.userId),
    { type: 'ChangePassword', data: { userId: input.userId, passwordHash }, metadata },
    input.expectedRevision === undefined ? {} : { expectedRevision: input.expectedRevision },
  );
};
