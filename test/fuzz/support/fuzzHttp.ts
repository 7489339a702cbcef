import fc from 'fast-check';
import { expect } from 'chai';
import { request } from 'undici';

/** What a fuzz case sends: any method, path, headers and raw body. */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Status counts of all fuzz requests; printed at exit with FUZZ_STATS=1 (to see what the generators reach). */
export const statusCounts = new Map<number, number>();
if (process.env.FUZZ_STATS) process.on('exit', () => console.log('fuzz statuses', Object.fromEntries(statusCounts)));

export async function send(baseUrl: string, r: RawRequest): Promise<RawResponse> {
  const res = await request(`${baseUrl}${r.path}`, {
    method: r.method as 'POST',
    headers: r.headers,
    body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body,
  });
  statusCounts.set(res.statusCode, (statusCounts.get(res.statusCode) ?? 0) + 1);
  return { status: res.statusCode, headers: res.headers as RawResponse['headers'], text: await res.body.text() };
}

/** Runs per npm test (bounded) or many more with FUZZ_RUNS (npm run fuzz). */
export const fuzzRuns = (fallback: number): number => Number(process.env.FUZZ_RUNS ?? fallback);

/** fast-check settings: a fixed seed unless FUZZ_SEED is given, so a failure replays. */
export const fuzzParameters = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns,
  ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : process.env.FUZZ_RUNS ? {} : { seed: 7 }),
  endOnFailure: true,
});

/** Printable ASCII: what a header value can carry through a real client. */
export const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 });

/** Strings that hurt parsers: unicode, controls, huge, percent-escapes, prototype keys. */
export const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '%', '%zz', '%00', '\u0000', '__proto__', 'constructor', 'null', '[]', '{}', '+', '=&=', '😀', '\ud800'),
  fc.string({ maxLength: 5 }).map((s) => s.repeat(2000)),
  fc.integer().map(String),
);

export const contentTypes = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=latin1',
  'application/json',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  '*/*',
  'application/json;;;',
  'garbage',
);

/** Never a 5xx, and the security headers on whatever came back. */
export function expectSane(res: RawResponse, req: RawRequest): void {
  const where = `${req.method} ${req.path} -> ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, where).to.be.below(500);
  expect(res.headers['x-content-type-options'], where).to.equal('nosniff');
  expect(res.text, where).not.to.match(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/); // no stack traces
}

/** The server still answers /healthz, quickly enough to count as responsive. */
export async function expectResponsive(baseUrl: string): Promise<void> {
  const res = await request(`${baseUrl}/healthz`, { headersTimeout: 5000, bodyTimeout: 5000 });
  expect(res.statusCode).to.equal(200);
  await res.body.text();
}
