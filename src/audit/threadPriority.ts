import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Niceness of the audit reader thread: 19, the lowest priority Linux has. Auditors' reads are
 * never urgent and the token endpoint is: when the cores are busy with tokens, the scheduler
 * gives the reader only the CPU nobody else wants (a nice-19 thread gets ~1.5% of a core
 * against a nice-0 one), and when they are idle it still runs at full speed.
 */
export const AUDIT_READER_NICENESS = 19;

/**
 * Lowers the priority of the calling OS thread only. On Linux `/proc/thread-self` links to
 * `<pid>/task/<tid>`, and setpriority on a TID affects that thread alone (not the process,
 * not the main thread). Elsewhere, or if the OS refuses, the thread keeps its priority and the
 * answer says so (niceness null); nothing is thrown.
 */
export function lowerThisThreadPriority(niceness: number): { tid: number | null; niceness: number | null } {
  let tid: number | null = null;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (!Number.isInteger(tid) || tid <= 0) return { tid: null, niceness: null };
    setPriority(tid, niceness);
    return { tid, niceness: getPriority(tid) };
  } catch {
    return { tid, niceness: null };
  }
}
