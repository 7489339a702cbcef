import { closeSync, existsSync, fdatasync, fdatasyncSync, openSync, readFileSync, renameSync, write, writeSync } from 'node:fs';
import type { FailedJob, JobOutcome } from './jobQueue.js';

/** One line per state change; replayed at start so the inline queue survives a restart. */
export type JournalRecord<P> =
  | { e: 'enqueued'; id: string; payload: P }
  | { e: 'completed'; id: string; outcome: JobOutcome }
  | { e: 'failed'; job: FailedJob<P> }
  /** A failed job put back to run (`retry`): pending again, out of the failed list. */
  | { e: 'retried'; id: string; payload: P };

export interface JournalState<P> {
  pending: Map<string, P>;
  completed: Map<string, JobOutcome>;
  failed: Map<string, FailedJob<P>>;
}

export function replayJournal<P>(file: string): JournalState<P> {
  const state: JournalState<P> = { pending: new Map(), completed: new Map(), failed: new Map() };
  if (!existsSync(file)) return state;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let record: JournalRecord<P>;
    try {
      record = JSON.parse(line) as JournalRecord<P>;
    } catch {
      continue; // a torn last line after a crash: the job it described is re-run
    }
    if (record.e === 'enqueued') state.pending.set(record.id, record.payload);
    else if (record.e === 'completed') {
      state.pending.delete(record.id);
      state.completed.set(record.id, record.outcome);
    } else if (record.e === 'retried') {
      state.failed.delete(record.id);
      state.pending.set(record.id, record.payload);
    } else {
      state.pending.delete(record.job.jobId);
      state.failed.set(record.job.jobId, record.job);
    }
  }
  return state;
}

/**
 * An append-only journal, compacted (rewritten) when opened. Appends made in the same turn
 * of the event loop share one write and one fdatasync (group commit): a record is durable
 * when `append` resolves, and many jobs do not pay one disk flush each.
 */
export class InlineJournal<P> {
  private readonly fd: number;
  private pending: { line: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(file: string, state: JournalState<P>) {
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    const lines: JournalRecord<P>[] = [
      ...[...state.completed].map(([id, outcome]) => ({ e: 'completed' as const, id, outcome })),
      ...[...state.failed.values()].map((job) => ({ e: 'failed' as const, job })),
      ...[...state.pending].map(([id, payload]) => ({ e: 'enqueued' as const, id, payload })),
    ];
    writeSync(fd, lines.map((r) => JSON.stringify(r) + '\n').join(''));
    fdatasyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
    this.fd = openSync(file, 'a', 0o600);
  }

  append(record: JournalRecord<P>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: JSON.stringify(record) + '\n', resolve, reject });
      this.flushing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await writeAll(this.fd, batch.map((b) => b.line).join(''));
        await datasync(this.fd);
        for (const b of batch) b.resolve();
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    this.flushing = undefined;
  }

  private closed = false;

  async close(): Promise<void> {
    await this.flushing;
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

const writeAll = (fd: number, text: string): Promise<void> =>
  new Promise((resolve, reject) => write(fd, text, null, 'utf8', (e) => (e ? reject(e) : resolve())));
const datasync = (fd: number): Promise<void> => new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));
