/**
 * `npm run bench:notify [-- --emails N --concurrency C]`: notification emails per second, end
 * to end from the event store (N ApplicationCreated events already stored; the worker starts
 * from checkpoint 0) through the reactor, the queue, rendering and the mailer, for each
 * queue × mailer pair: BullMQ on a real redis-server (started here) or the inline queue
 * (journal fsynced per state change), to the in-process SMTP sink or to the outbox (.eml
 * files, fsynced). Prints a table.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { createSqliteEventStore } from '../src/eventStore/sqliteEventStore.js';
import { createFileCheckpointStore } from '../workers/checkpoint/fileCheckpointStore.js';
import type { Mailer } from '../workers/mail/mailer.js';
import { createOutboxMailer } from '../workers/mail/outboxMailer.js';
import { createSmtpMailer } from '../workers/mail/smtpMailer.js';
import type { NotificationJobPayload } from '../workers/notificationJob.js';
import { createBullMqQueue } from '../workers/queue/bullMqQueue.js';
import { createInlineQueue } from '../workers/queue/inlineQueue.js';
import type { JobQueue } from '../workers/queue/jobQueue.js';
import { startNotificationWorker } from '../workers/startNotificationWorker.js';
import { startRedisServer } from '../test/support/redisServer.js';
import { startSmtpSink } from '../test/support/smtpSink.js';
import { createTempDir } from '../test/support/tempDir.js';
import { givenEvents } from '../test/workers/notificationFixtures.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EMAILS = arg('emails', 2000);
const CONCURRENCY = arg('concurrency', 8);

function counting(mailer: Mailer, onSent: () => void): Mailer {
  return { kind: mailer.kind, close: () => mailer.close(), send: async (e) => (await mailer.send(e), onSent()) };
}

async function main(): Promise<void> {
  const dir = await createTempDir('tollgate-notify-bench-');
  const redis = await startRedisServer({ appendOnly: false });
  const sink = await startSmtpSink();
  const store = createSqliteEventStore({ file: dir.file('events.sqlite') });
  const given = givenEvents(store);
  const org = await given.organization();
  const owner = await given.user({ organizationId: org, email: 'owner@example.com' });
  for (let i = 0; i < EMAILS; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, EMAILS - i) }, (_, k) => given.application({ organizationId: org, ownerUserId: owner, name: `App ${i + k}` })));
  }
  const rows: string[][] = [];
  const scenarios: { queue: 'bullmq' | 'inline'; mail: 'smtp' | 'outbox' }[] = [
    { queue: 'bullmq', mail: 'smtp' },
    { queue: 'bullmq', mail: 'outbox' },
    { queue: 'inline', mail: 'smtp' },
    { queue: 'inline', mail: 'outbox' },
  ];
  for (const s of scenarios) {
    if (s.queue === 'bullmq' && !redis) {
      rows.push([`${s.queue} → ${s.mail}`, '-', '-', 'skipped: no redis-server']);
      continue;
    }
    const run = randomUUID().slice(0, 8);
    const queue: JobQueue<NotificationJobPayload> =
      s.queue === 'bullmq'
        ? createBullMqQueue({ redisUrl: redis!.url, name: `bench-${run}`, concurrency: CONCURRENCY, attempts: 3, backoffMs: 100 })
        : createInlineQueue({ journalFile: dir.file(`queue-${run}.jsonl`), concurrency: CONCURRENCY, attempts: 3, backoffMs: 100 });
    let sent = 0;
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    const base = s.mail === 'smtp' ? createSmtpMailer(sink.url, { maxConnections: CONCURRENCY }) : createOutboxMailer(dir.file(`outbox-${run}`));
    const mailer = counting(base, () => ++sent === EMAILS && finish());
    const started = process.hrtime.bigint();
    const worker = await startNotificationWorker({
      store,
      queue,
      mailer,
      checkpoints: createFileCheckpointStore(dir.file(`checkpoints-${run}`)),
      mailFrom: 'no-reply@tollgate.example',
      issuer: 'http://localhost:8080',
    });
    await done;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const failed = (await queue.counts()).failed;
    await worker.stop();
    rows.push([`${s.queue} → ${s.mail}`, String(EMAILS), seconds.toFixed(2), (EMAILS / seconds).toFixed(0) + (failed ? ` (${failed} failed)` : '')]);
  }
  await store.close();
  await sink.close();
  await redis?.dispose();
  await dir.remove();

  console.log(`notification throughput: ${EMAILS} ApplicationCreated events, worker concurrency ${CONCURRENCY}, ${cpus().length} CPUs, node ${process.version}`);
  const header = ['queue → mailer', 'emails', 'seconds', 'emails/s'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
