import type { CommandMetadata, Decider } from './event.js';

/** Several commands for one stream, decided as one: all their events are appended together, or none. */
export interface CommandBatch<C> {
  metadata: CommandMetadata;
  commands: C[];
}

/** Lifts a decider to command batches: each command is decided on the state the previous ones left. */
export function batchDecider<S, C, E>(decider: Decider<S, C, E>): Decider<S, CommandBatch<C>, E> {
  return {
    initialState: decider.initialState,
    evolve: decider.evolve,
    decide(batch, state) {
      const events: E[] = [];
      let current = state;
      for (const command of batch.commands) {
        const decided = decider.decide(command, current);
        events.push(...decided);
        current = decided.reduce(decider.evolve, current);
      }
      return events;
    },
  };
}
