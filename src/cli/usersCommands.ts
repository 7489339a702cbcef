import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.js';
import { createCommandHandler } from '../commands/commandHandler.js';
import type { CommandDeps } from '../commands/commandDeps.js';
import { changeUserPassword } from '../commands/userCommands.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import { toUserStreamName } from '../domain/shared/streamNames.js';
import { evolveUniqueKey, initialUniqueKeyState } from '../domain/uniqueness/uniqueKeyDecider.js';
import type { UniqueKeyEvent } from '../domain/uniqueness/uniqueKeyEvents.js';
import { toReservationStreamName } from '../domain/uniqueness/uniqueKeyStreamName.js';
import { userDecider } from '../domain/user/userDecider.js';
import type { UserEvent } from '../domain/user/userEvents.js';
import { toUsernameKey, USERNAME_SCOPE } from '../domain/user/usernameKey.js';
import { isDomainError } from '../domain/shared/domainError.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { CliError, EXIT } from './exitCodes.js';
import { openExistingStore } from './openStore.js';

/**
 * Emergency user commands (`tollgate users unlock|reset-password <username>`) for when no
 * administrator can sign in: they write to the event store directly, through the same
 * command handler and deciders as the admin API, as the system actor. A running server
 * applies them from its subscription (SQLite: within its 500 ms poll of other writers).
 */
const systemMetadata = (now: Date): CommandMetadata => ({ actor: 'system', actorKind: 'system', now, correlationId: `cli-${randomUUID()}` });

/** The user holding `username`: its reservation stream names the owner; the owner's stream must agree. */
async function findUserId(store: EventStore, username: string): Promise<string> {
  const key = toUsernameKey(username);
  const reservation = (await store.readStream(toReservationStreamName(USERNAME_SCOPE, key))).reduce(
    (state, event) => evolveUniqueKey(state, event as unknown as UniqueKeyEvent),
    initialUniqueKeyState(),
  );
  if (reservation.status === 'Reserved') {
    const user = (await store.readStream(toUserStreamName(reservation.ownerId))).reduce(
      (state, event) => userDecider.evolve(state, event as unknown as UserEvent),
      userDecider.initialState(),
    );
    if (user.status !== 'Empty' && toUsernameKey(user.username) === key) return reservation.ownerId;
  }
  throw new CliError(EXIT.notFound, `no user named ${JSON.stringify(username)}`);
}

async function withStore<T>(config: Config, run: (deps: CommandDeps) => Promise<T>): Promise<T> {
  const store = await openExistingStore(config);
  try {
    return await run({ store, handler: createCommandHandler(store) });
  } finally {
    await store.close();
  }
}

export function usersUnlock(config: Config, username: string, out: (line: string) => void, now = new Date()): Promise<void> {
  return withStore(config, async (deps) => {
    const userId = await findUserId(deps.store, username);
    const result = await deps.handler.handle(userDecider, toUserStreamName(userId), {
      type: 'UnlockUser',
      data: { userId },
      metadata: systemMetadata(now),
    });
    out(result.events.length === 0
      ? `${username} was not locked and had no login failures; nothing recorded.`
      : `Unlocked ${username} (${result.events.map((e) => e.type).join(', ')}, recorded as the system actor).`);
  });
}

export function usersResetPassword(
  config: Config,
  username: string,
  password: () => Promise<string>,
  out: (line: string) => void,
  now = new Date(),
): Promise<void> {
  return withStore(config, async (deps) => {
    const userId = await findUserId(deps.store, username);
    const secret = await password();
    try {
      await changeUserPassword(deps, { userId, password: secret }, systemMetadata(now));
    } catch (error) {
      if (isDomainError(error) && error.code === 'VALIDATION') {
        throw new CliError(EXIT.refused, `password refused: ${error.errors.map((e) => e.message).join('; ') || error.message}`);
      }
      throw error;
    }
    out(`Password of ${username} changed (recorded as the system actor).`);
  });
}
