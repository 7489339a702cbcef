/**
 * The history bench's auditors, in a process of their own: half page through an application's
 * history by its `next` links, half export it as JSON Lines, until the parent writes a line to
 * stdin (or closes it). Then one JSON line of results goes to stdout.
 *
 * Why a process: auditors are other people's machines. Run in the load generator's process they
 * shared its event loop with autocannon, so their JSON parsing showed up as token latency that
 * the server never caused. On this 2-core machine the process still takes CPU from the server
 * (at normal priority): only the event loop is no longer shared.
 *
 * Environment: AUDITOR_URL (first page URL), AUDITOR_ORIGIN (for `next` links), AUDITOR_TOKEN,
 * AUDITORS (how many).
 */
import { createInterface } from 'node:readline';

export interface AuditorResults {
  pageMs: number[];
  exports: number;
  exportedBytes: number;
  errors: string[];
}

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};
const historyUrl = env('AUDITOR_URL');
const origin = env('AUDITOR_ORIGIN');
const headers = { authorization: `Bearer ${env('AUDITOR_TOKEN')}` };
const auditors = Number(env('AUDITORS'));

let running = true;
const results: AuditorResults = { pageMs: [], exports: 0, exportedBytes: 0, errors: [] };
const stopped = new Promise<void>((resolve) => {
  const input = createInterface({ input: process.stdin });
  const stop = () => {
    running = false;
    resolve();
  };
  input.once('line', stop);
  input.once('close', stop);
});

async function pager(): Promise<void> {
  let url = historyUrl;
  while (running) {
    const started = performance.now();
    const res = await fetch(url, { headers });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 200)}`);
    results.pageMs.push(performance.now() - started);
    const next = (JSON.parse(text) as { next: string | null }).next;
    url = next === null ? historyUrl : `${origin}${next}`;
  }
}

async function exporter(): Promise<void> {
  while (running) {
    const controller = new AbortController();
    const res = await fetch(`${historyUrl}&format=jsonl`, { headers, signal: controller.signal });
    if (res.status !== 200) throw new Error(`export answered ${res.status}`);
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          results.exports += 1;
          break;
        }
        results.exportedBytes += value.byteLength;
        if (!running) {
          controller.abort();
          break;
        }
      }
    } catch (error) {
      if (running) throw error; // an abort at the end of the run is expected
    }
  }
}

const clients = Array.from({ length: auditors }, (_, i) => (i % 2 === 0 ? pager() : exporter()));
process.stdout.write('READY\n');
await stopped;
for (const outcome of await Promise.allSettled(clients)) {
  if (outcome.status === 'rejected') results.errors.push(String((outcome.reason as Error)?.message ?? outcome.reason));
}
process.stdout.write(`${JSON.stringify(results)}\n`);
