/**
 * Readiness means "this node can serve" (DESIGN §6), not "lag exactly 0": the stores answer,
 * the token path's state cache has caught up once since start, and the read model is within
 * a bound — at most `maxLagEvents` events it still has to apply, the oldest of them recorded
 * at most `maxLagMs` ago. Only events a readiness-gating projection needs count (not the
 * `TokenIssued` stream of last-used times), so a node under token load stays in service.
 */
export interface ReadinessBound {
  /** READY_MAX_LAG_EVENTS */
  maxLagEvents: number;
  /** READY_MAX_LAG_MS */
  maxLagMs: number;
}

export interface ReadModelLag {
  /** Gating events not yet applied, counted up to maxLagEvents + 1. */
  events: number;
  /** Recorded time of the oldest of them. */
  oldestRecordedAt?: string;
}

export interface ReadModelReadiness {
  pendingEvents: number;
  /** Age of the oldest pending event (0 when none; never negative under clock skew). */
  pendingAgeMs: number;
  withinBound: boolean;
}

/** How many pending events to read to decide: one more than the bound. */
export const lagReadLimit = (bound: ReadinessBound): number => bound.maxLagEvents + 1;

export function judgeReadModelLag(lag: ReadModelLag, bound: ReadinessBound, now: Date): ReadModelReadiness {
  const recorded = lag.oldestRecordedAt === undefined ? Number.NaN : Date.parse(lag.oldestRecordedAt);
  const pendingAgeMs = Number.isNaN(recorded) ? 0 : Math.max(0, now.getTime() - recorded);
  return {
    pendingEvents: lag.events,
    pendingAgeMs,
    withinBound: lag.events <= bound.maxLagEvents && pendingAgeMs <= bound.maxLagMs,
  };
}
