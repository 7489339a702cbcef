import type { LoadResult } from './loadRun.js';

export const median = (values: number[]): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const pad = (value: string, width: number) => value.padStart(width);

export const RESULT_HEADER = `${'round'.padEnd(7)}${'server'.padEnd(15)}${pad('per s', 9)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('max ms', 8)}${pad('2xx', 9)}${pad('non-2xx', 9)}${pad('errors', 8)}${pad('cpu µs/2xx', 12)}${pad('main µs', 9)}${pad('load µs', 9)}  busy threads µs`;

export function formatResult(round: string, server: string, r: LoadResult): string {
  return (
    round.padEnd(7) +
    server.padEnd(15) +
    pad(r.perSecond.toFixed(0), 9) +
    pad(String(r.p50), 8) +
    pad(String(r.p99), 8) +
    pad(String(r.max), 8) +
    pad(String(r.ok), 9) +
    pad(String(r.non2xx), 9) +
    pad(String(r.errors + r.timeouts), 8) +
    pad(r.serverCpuMicros !== undefined ? r.serverCpuMicros.toFixed(0) : '-', 12) +
    pad(r.serverMainCpuMicros !== undefined ? r.serverMainCpuMicros.toFixed(0) : '-', 9) +
    pad(r.loadCpuMicros.toFixed(0), 9) +
    (r.serverThreadMicros ? `  ${r.serverThreadMicros.map((m) => m.toFixed(0)).join('/')}` : '') +
    (r.non2xx > 0 ? `  statuses ${JSON.stringify(r.statusCodes)}` : '')
  );
}

export interface MedianLine {
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
}

export function medians(results: LoadResult[]): MedianLine {
  return {
    perSecond: median(results.map((r) => r.perSecond)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    max: Math.max(...results.map((r) => r.max)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
  };
}

export const formatMedian = (server: string, m: MedianLine): string =>
  'median'.padEnd(7) +
  server.padEnd(15) +
  pad(m.perSecond.toFixed(0), 9) +
  pad(String(m.p50), 8) +
  pad(String(m.p99), 8) +
  pad(String(m.max), 8) +
  pad('', 9) +
  pad(String(m.non2xx), 9);
