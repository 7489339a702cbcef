import { Router } from '@koa/router';
import { judgeReadModelLag, lagReadLimit, type ReadinessBound, type ReadModelLag } from './readiness.js';
import { withinTime } from './withinTime.js';

/** What the health and status routes need to know; each part reports on itself. */
export interface HealthSources {
  storeKind: string;
  readModelKind: string;
  queueKind: string;
  mailKind: string;
  pingStore(): Promise<void>;
  pingReadModel(): Promise<void>;
  /** Store positions the read model is behind the head, token events included (reported only). */
  projectionLag(): Promise<number>;
  /** Events a readiness-gating projection still has to apply, read up to `limit`. */
  readModelLag(limit: number): Promise<ReadModelLag>;
  /** READY_MAX_LAG_EVENTS / READY_MAX_LAG_MS. */
  readiness: ReadinessBound;
  now(): Date;
  /** True once the token path's state cache has caught up with the store since start. */
  tokenStateCaughtUp(): boolean;
  keys(): { available: boolean; warnings: string[] };
  notifications(): Promise<{ failed: number; waiting: number; problems: string[] }>;
}

async function check(f: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  try {
    await f();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'unreachable' };
  }
}

/** What /admin/status reports (also the console's warnings banner). */
/** How long a status waits for the notification queue's figures. */
export const QUEUE_WAIT_MS = 1_000;

export async function statusReport(sources: Pick<HealthSources, 'keys' | 'notifications'>) {
  const keys = sources.keys();
  const unreachable = () => ({ failed: 0, waiting: 0, problems: ['notification queue unreachable'] });
  // BullMQ waits for Redis to come back rather than fail: the status (and every console page's
  // banner) answers within a second meanwhile.
  const notifications = await withinTime(sources.notifications(), QUEUE_WAIT_MS, unreachable).catch(unreachable);
  const warnings = [...keys.warnings, ...notifications.problems];
  if (notifications.failed > 0) {
    warnings.push(`${notifications.failed} notification(s) failed permanently; see GET /admin/notification-jobs`);
  }
  return { keys, notifications, warnings };
}

/** GET /healthz (alive), GET /readyz (can serve: src/http/readiness.ts), GET /admin/status. */
export function createHealthRouter(sources: HealthSources): Router {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const [store, readModel, lag, pending] = await Promise.all([
      check(sources.pingStore),
      check(sources.pingReadModel),
      sources.projectionLag().catch(() => Number.NaN),
      sources.readModelLag(lagReadLimit(sources.readiness)).catch(() => undefined),
    ]);
    const judged = pending === undefined ? undefined : judgeReadModelLag(pending, sources.readiness, sources.now());
    const projections = {
      lag,
      caughtUp: lag === 0,
      pendingEvents: judged?.pendingEvents ?? null,
      pendingAgeMs: judged?.pendingAgeMs ?? null,
      withinBound: judged?.withinBound ?? false,
      maxLagEvents: sources.readiness.maxLagEvents,
      maxLagMs: sources.readiness.maxLagMs,
    };
    const tokenState = { caughtUp: sources.tokenStateCaughtUp() };
    const reachable = store.ok && readModel.ok && judged !== undefined;
    const ready = reachable && projections.withinBound && tokenState.caughtUp;
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      status: ready ? 'ready' : reachable ? 'catching-up' : 'unavailable',
      eventStore: { kind: sources.storeKind, ...store },
      readModel: { kind: sources.readModelKind, ...readModel },
      projections,
      tokenState,
    };
  });

  // Answers without a token: with no keys nobody could get one (DESIGN §4).
  router.get('/admin/status', async (ctx) => {
    const { keys, notifications, warnings } = await statusReport(sources);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      oauth: { available: keys.available },
      warnings,
      components: {
        eventStore: sources.storeKind,
        readModel: sources.readModelKind,
        queue: sources.queueKind,
        mail: sources.mailKind,
      },
      notifications: { failed: notifications.failed, waiting: notifications.waiting },
    };
  });

  return router;
}
