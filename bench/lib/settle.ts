import { readdirSync, readFileSync } from 'node:fs';

/** A /proc stat line's name and CPU seconds (user + system). */
function readStat(path: string): { name: string; seconds: number } {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11], fields[12] are utime and stime (fields 14 and 15 of the full line), in clock ticks.
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds: (Number(fields[11]) + Number(fields[12])) / 100 };
}

/** CPU seconds (user + system) a process (or one of its threads) has used so far, from /proc. */
export function cpuSeconds(pid: number, tid?: number): number {
  return readStat(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`).seconds;
}

/**
 * Waits until every process is idle (under 5% of a core over 500 ms), so that background
 * work left by one server's round (projections catching up, group commits draining) never
 * runs during the other server's round. Gives up after `maxMs`.
 */
export async function settle(pids: number[], maxMs = 30_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const before = pids.map((pid) => cpuSeconds(pid));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const busiest = Math.max(...pids.map((pid, i) => cpuSeconds(pid) - before[i]!));
    if (busiest < 0.025 || Date.now() > deadline) return;
  }
}

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** CPU seconds per thread of a process, keyed by "<thread name> <tid>", from /proc/<pid>/task/<tid>/stat. */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { name, seconds } = readStat(`/proc/${pid}/task/${tid}/stat`);
      threads.set(`${name} ${tid}`, seconds);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return threads;
}

/** CPU seconds each thread name used between two threadCpuSeconds readings, busiest first. */
export function threadCpuDelta(before: Map<string, number>, after: Map<string, number>): Array<{ name: string; threads: number; seconds: number }> {
  const byName = new Map<string, { threads: number; seconds: number }>();
  for (const [key, seconds] of after) {
    const name = key.slice(0, key.lastIndexOf(' '));
    const entry = byName.get(name) ?? { threads: 0, seconds: 0 };
    entry.threads += 1;
    entry.seconds += seconds - (before.get(key) ?? 0);
    byName.set(name, entry);
  }
  return [...byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.seconds - a.seconds);
}
