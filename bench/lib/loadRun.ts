import autocannon, { type AutocannonClient, type AutocannonRequest } from 'autocannon';

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
}

export async function runLoad(url: string, spec: LoadSpec, options: LoadOptions): Promise<LoadResult> {
  const request: AutocannonRequest = { method: 'POST', path: spec.path, headers: spec.headers, body: spec.body };
  const instance = autocannon({
    url: `${url}${spec.path}`,
    ...request,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration }),
    timeout: 30,
    ...(spec.setupClient ? { setupClient: spec.setupClient } : {}),
  });
  if (options.onResponse) {
    const onResponse = options.onResponse;
    (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, status: number) => onResponse(status));
  }
  const result = await instance;
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
  };
}
