import type { Config } from '../config/config.js';
import { createReadModel } from '../../projections/index.js';
import { createProjectionRunner } from '../../projections/projectionRunner.js';
import { openExistingStore } from './openStore.js';
import { progressBar, progressLine, type ProgressSample } from './progress.js';

export interface ProgressOutput {
  /** True on a terminal: the bar is redrawn in place. */
  isTTY: boolean;
  write(text: string): void;
}

/**
 * `tollgate projections rebuild`: clears the read model and replays the store into it,
 * reporting progress while it runs (a bar on a terminal, a plain line a second otherwise).
 */
export async function projectionsRebuild(config: Config, out: (line: string) => void, progress: ProgressOutput): Promise<void> {
  const store = await openExistingStore(config);
  try {
    const readModel = await createReadModel({ mongoUrl: config.mongoUrl });
    try {
      if (!config.mongoUrl) {
        out('MONGO_URL is not set: the read model is in memory and is rebuilt from the event store at every start. ' +
          'Replaying once to check the event store can be projected; nothing is kept.');
      }
      const runner = createProjectionRunner({ store, readModel, onError: (error) => progress.write(`projection error: ${error.message}\n`) });
      const target = await store.headPosition();
      const startedAt = performance.now();
      // Once caught up the replay has passed the head, even if the last events were none it needed.
      let done = false;
      const sample = (): ProgressSample => ({
        position: done ? Math.max(runner.position, target) : runner.position,
        target,
        events: runner.applied,
        elapsedMs: performance.now() - startedAt,
      });
      const draw = (): void => progress.write(progress.isTTY ? `\r${progressBar(sample())}` : `${progressLine(sample())}\n`);
      const timer = setInterval(draw, progress.isTTY ? 200 : 1000);
      let result;
      try {
        result = await runner.rebuild();
        done = true;
        await runner.stop();
      } finally {
        clearInterval(timer);
      }
      draw();
      if (progress.isTTY) progress.write('\n');
      const rate = result.ms > 0 ? Math.round((result.events / result.ms) * 1000) : result.events;
      out(`Rebuilt the ${readModel.kind} read model from ${store.kind}: ${result.events} events up to position ` +
        `${result.position} in ${Math.round(result.ms)} ms (${rate} events/s).`);
    } finally {
      await readModel.close();
    }
  } finally {
    await store.close();
  }
}
