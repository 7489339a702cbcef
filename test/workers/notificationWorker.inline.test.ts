import { createInlineQueue } from '../../workers/queue/inlineQueue.js';
import { notificationWorkerContract } from './notificationWorker.contract.js';

// The journal in the test's temp dir makes a second open() a restart of the same queue.
notificationWorkerContract('inline queue', () => ({
  open: (dir) => createInlineQueue({ journalFile: dir.file('queue.jsonl'), attempts: 4, backoffMs: 30, concurrency: 2 }),
}));
