/**
 * A BullMQ worker process that takes a job and never finishes it: it prints `running <job id>`
 * and waits to be SIGKILLed, as a worker that crashes mid-job (test/workers/bullMqStall.test.ts).
 * The queue comes from createBullMqQueue with the settings in STALL_QUEUE (JSON).
 */
import { createBullMqQueue, type BullMqQueueOptions } from '../../../workers/queue/bullMqQueue.js';

const settings = JSON.parse(process.env['STALL_QUEUE'] ?? '{}') as BullMqQueueOptions;
const queue = createBullMqQueue(settings);
await queue.start(async (job) => {
  process.stdout.write(`running ${job.id}\n`);
  return new Promise(() => undefined);
});
