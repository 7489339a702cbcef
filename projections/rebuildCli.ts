/**
 * `npm run projections:rebuild`: clears the configured read model and replays the whole
 * event store into it. Only meaningful with MongoDB (MONGO_URL): the in-memory read model is
 * rebuilt at every server start anyway, so this then only replays into memory and reports.
 */
import { createEventStore } from '../src/eventStore/createEventStore.js';
import { createReadModel } from './index.js';
import { createProjectionRunner } from './projectionRunner.js';

async function main(): Promise<number> {
  const mongoUrl = process.env.MONGO_URL || undefined;
  const store = await createEventStore({
    eventStoreUrl: process.env.EVENTSTORE_URL || undefined,
    dataDir: process.env.DATA_DIR || './var',
  });
  const readModel = await createReadModel({ mongoUrl });
  try {
    if (!mongoUrl) {
      console.log(
        'MONGO_URL is not set: the read model is in memory and is rebuilt from the event store at every start. ' +
          'Replaying once to check the event store can be projected; nothing is kept.',
      );
    }
    const runner = createProjectionRunner({
      store,
      readModel,
      onError: (error) => console.error(`projection error: ${error.message}`),
    });
    const result = await runner.rebuild();
    await runner.stop();
    const rate = result.ms > 0 ? Math.round((result.events / result.ms) * 1000) : result.events;
    console.log(
      `Rebuilt the ${readModel.kind} read model from ${store.kind}: ${result.events} events up to position ` +
        `${result.position} in ${Math.round(result.ms)} ms (${rate} events/s).`,
    );
    return 0;
  } finally {
    await readModel.close();
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
