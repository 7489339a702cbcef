import autocannon, { type AutocannonClient, type AutocannonRequest } from 'autocannon';
import { cpuSeconds, threadCpuSeconds } from './settle.js';

/** What one server is driven with: a fixed request, or per-connection requests (setupClient). */
export interface LoadSpec {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Per-connection customisation, e.g. a refresh-token chain per connection. */
  setupClient?: (client: AutocannonClient) => void;
}

export interface LoadOptions {
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration: number;
  /** A number of requests instead of a duration. */
  amount?: number;
  /** Called with each response's status (for progress counters). */
  onResponse?: (status: number) => void;
  /** The server's process id: its CPU time over the run is reported per 2xx response. */
  serverPid?: number;
  /** Requests per second over all connections (autocannon's overallRate); default: as fast as answered. */
  rate?: number;
}

export interface LoadResult {
  /** 2xx responses per second over the run. */
  perSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Latency of 2xx responses, ms. */
  p50: number;
  p99: number;
  max: number;
  seconds: number;
  statusCodes: Record<string, number>;
  /** CPU time (user + system, all threads) per 2xx response, µs: the server's, and this process's (the load generator's). */
  serverCpuMicros?: number;
  /** The server's main thread (event loop) alone, µs per 2xx response. */
  serverMainCpuMicros?: number;
  /** The server's busy threads (over 5 µs per 2xx), in thread-id order (main first), µs per 2xx. */
  serverThreadMicros?: number[];
  loadCpuMicros: number;
}

export async function runLoad(url: string, spec: LoadSpec, options: LoadOptions): Promise<LoadResult> {
  const request: AutocannonRequest = { method: 'POST', path: spec.path, headers: spec.headers, body: spec.body };
  const instance = autocannon({
    url: `${url}${spec.path}`,
    ...request,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration }),
    timeout: 30,
    ...(options.rate !== undefined ? { overallRate: options.rate } : {}),
    ...(spec.setupClient ? { setupClient: spec.setupClient } : {}),
  });
  if (options.onResponse) {
    const onResponse = options.onResponse;
    (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, status: number) => onResponse(status));
  }
  const serverCpuBefore = options.serverPid !== undefined ? cpuSeconds(options.serverPid) : 0;
  const mainCpuBefore = options.serverPid !== undefined ? cpuSeconds(options.serverPid, options.serverPid) : 0;
  const threadsBefore = options.serverPid !== undefined ? threadCpuSeconds(options.serverPid) : undefined;
  const loadCpuBefore = process.cpuUsage();
  const result = await instance;
  const loadCpu = process.cpuUsage(loadCpuBefore);
  const serverCpu = options.serverPid !== undefined ? cpuSeconds(options.serverPid) - serverCpuBefore : undefined;
  const mainCpu = options.serverPid !== undefined ? cpuSeconds(options.serverPid, options.serverPid) - mainCpuBefore : undefined;
  const perOk = (seconds: number) => (result['2xx'] > 0 ? (seconds * 1e6) / result['2xx'] : NaN);
  const threads =
    options.serverPid !== undefined && threadsBefore
      ? [...threadCpuSeconds(options.serverPid)]
          .map(([key, seconds]) => ({ tid: Number(key.slice(key.lastIndexOf(' ') + 1)), micros: perOk(seconds - (threadsBefore.get(key) ?? 0)) }))
          .filter((t) => t.micros > 5)
          .sort((a, b) => a.tid - b.tid)
          .map((t) => t.micros)
      : undefined;
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    perSecond: result['2xx'] / seconds,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    seconds,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
    ...(serverCpu !== undefined ? { serverCpuMicros: perOk(serverCpu) } : {}),
    ...(mainCpu !== undefined ? { serverMainCpuMicros: perOk(mainCpu) } : {}),
    ...(threads ? { serverThreadMicros: threads } : {}),
    loadCpuMicros: perOk((loadCpu.user + loadCpu.system) / 1e6),
  };
}
