import { Router } from '@koa/router';

/** What the health and status routes need to know; each part reports on itself. */
export interface HealthSources {
  storeKind: string;
  readModelKind: string;
  queueKind: string;
  mailKind: string;
  pingStore(): Promise<void>;
  pingReadModel(): Promise<void>;
  /** Events the read model still has to apply. */
  projectionLag(): Promise<number>;
  /** True while the token path's state cache is catching up. */
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
export async function statusReport(sources: Pick<HealthSources, 'keys' | 'notifications'>) {
  const keys = sources.keys();
  const notifications = await sources.notifications().catch(() => ({
    failed: 0,
    waiting: 0,
    problems: ['notification queue unreachable'],
  }));
  const warnings = [...keys.warnings, ...notifications.problems];
  if (notifications.failed > 0) {
    warnings.push(`${notifications.failed} notification(s) failed permanently; see GET /admin/notification-jobs`);
  }
  return { keys, notifications, warnings };
}

/** GET /healthz (alive), GET /readyz (stores reachable, projections caught up), GET /admin/status. */
export function createHealthRouter(sources: HealthSources): Router {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const [store, readModel, lag] = await Promise.all([
      check(sources.pingStore),
      check(sources.pingReadModel),
      sources.projectionLag().catch(() => Number.NaN),
    ]);
    const projections = { lag, caughtUp: lag === 0 };
    const tokenState = { caughtUp: sources.tokenStateCaughtUp() };
    const ready = store.ok && readModel.ok && projections.caughtUp && tokenState.caughtUp;
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      status: ready ? 'ready' : projections.caughtUp ? 'unavailable' : 'catching-up',
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
