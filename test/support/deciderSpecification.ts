/**
 * Emmett-style decider specification:
 *
 *   const given = DeciderSpecification.for(applicationDecider);
 *   given([created]).when(deactivate).then([deactivated]);
 *   given([]).when(deactivate).thenThrows('NOT_FOUND');
 *
 * `given` events are folded with `evolve` from `initialState()`; `when` runs `decide`.
 */
import { expect } from 'chai';
import type { Decider } from '../../src/domain/shared/event.js';
import { isDomainError, type DomainError, type DomainErrorCode } from '../../src/domain/shared/domainError.js';

export interface ThenStep<S, E> {
  /** The decision equals exactly these events (deep equality, in order). */
  then(expected: E[]): void;
  /** The decision is empty: an idempotent command changed nothing. */
  thenNothingHappened(): void;
  /** decide throws a DomainError with this code, or an error matching the predicate. */
  thenThrows(expected: DomainErrorCode | ((error: DomainError) => boolean)): DomainError;
  /** The state after folding given + decided events satisfies the check. */
  thenState(check: (state: S) => void): void;
}

export interface WhenStep<S, C, E> {
  when(command: C): ThenStep<S, E>;
}

export const DeciderSpecification = {
  for<S, C, E>(decider: Decider<S, C, E>): (givenEvents: E[]) => WhenStep<S, C, E> {
    return (givenEvents) => ({
      when(command) {
        const decideNow = (): { state: S; events: E[] } => {
          const state = givenEvents.reduce(decider.evolve, decider.initialState());
          return { state, events: decider.decide(command, state) };
        };
        return {
          then(expected) {
            expect(decideNow().events).to.deep.equal(expected);
          },
          thenNothingHappened() {
            expect(decideNow().events).to.deep.equal([]);
          },
          thenThrows(expected) {
            let thrown: unknown;
            try {
              decideNow();
            } catch (error) {
              thrown = error;
            }
            if (thrown === undefined) expect.fail('expected decide to throw, it returned events');
            if (!isDomainError(thrown)) throw thrown;
            if (typeof expected === 'string') {
              expect(thrown.code, thrown.message).to.equal(expected);
            } else {
              expect(expected(thrown), `unexpected error: ${thrown.code} ${thrown.message}`).to.equal(true);
            }
            return thrown;
          },
          thenState(check) {
            const { state, events } = decideNow();
            check(events.reduce(decider.evolve, state));
          },
        };
      },
    });
  },
};
