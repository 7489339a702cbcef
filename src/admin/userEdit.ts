import type { Decider } from '../domain/shared/event.js';
import type { UserCommand } from '../domain/user/userCommands.js';
import { decideUser, evolveUser, initialUserState } from '../domain/user/userDecider.js';
import type { UserEvent, UserState } from '../domain/user/userEvents.js';
import type { CommandMetadata } from '../domain/shared/event.js';

/** Several user commands decided as one: all their events are appended together or none. */
export interface EditUser {
  metadata: CommandMetadata;
  commands: UserCommand[];
}

export const userEditDecider: Decider<UserState, EditUser, UserEvent> = {
  initialState: initialUserState,
  evolve: evolveUser,
  decide(edit, state) {
    const events: UserEvent[] = [];
    let current = state;
    for (const command of edit.commands) {
      const decided = decideUser(command, current);
      events.push(...decided);
      current = decided.reduce(evolveUser, current);
    }
    return events;
  },
};
