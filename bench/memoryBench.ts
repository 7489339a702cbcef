/**
 * `npm run bench:memory -- [--tokens 1000000] [--connections 50] [--every 5]`
 *
 * Issues N client_credentials tokens against Tollgate (own process, embedded defaults,
 * production, every TokenIssued durably appended) and samples the server's RSS (VmRSS from
 * /proc/<pid>/status) every few seconds. Memory levels off when RSS over the second half of
 * the run grows by no more than a few bytes per token (nothing per token is held in memory).
 */
import { parseArgs } from 'node:util';
import { createBenchKeys, startTollgateChild } from './lib/benchServers.js';
import { runLoad } from './lib/loadRun.js';
import { scenarios } from './lib/scenarios.js';
import { rssBytes } from './lib/settle.js';

const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '50' },
    every: { type: 'string', default: '5' },
  },
});
const tokens = Number(values.tokens);
const connections = Number(values.connections);
const everyMs = Number(values.every) * 1000;
if (!Number.isInteger(tokens) || tokens < connections) throw new Error('--tokens must be a whole number >= --connections');

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const keys = await createBenchKeys('RS256');
const tollgate = await startTollgateChild(keys, { dataDirName: 'var' });
try {
  const spec = await (await scenarios['cc-rs256'].prepareTollgate(tollgate.url, connections))();
  const samples: { seconds: number; issued: number; rss: number }[] = [];
  let issued = 0;
  const started = Date.now();
  const sample = () => {
    const s = { seconds: (Date.now() - started) / 1000, issued, rss: rssBytes(tollgate.pid) };
    const previous = samples.at(-1);
    samples.push(s);
    const rate = previous ? (s.issued - previous.issued) / Math.max(0.001, s.seconds - previous.seconds) : 0;
    console.log(
      `${s.seconds.toFixed(0).padStart(6)} s  ${String(s.issued).padStart(9)} tokens  RSS ${mb(s.rss).padStart(7)} MB  ${rate.toFixed(0).padStart(6)} tokens/s`,
    );
  };
  console.log(`issuing ${tokens} client_credentials tokens over ${connections} connections; RSS of the Tollgate process every ${values.every} s`);
  sample();
  const timer = setInterval(sample, everyMs);
  const result = await runLoad(tollgate.url, spec, {
    connections,
    duration: 0,
    amount: tokens,
    onResponse: (status) => {
      if (status === 200) issued += 1;
    },
  });
  clearInterval(timer);
  sample();
  console.log(`done: ${result.ok} tokens (${result.non2xx} non-2xx, ${result.errors} errors) in ${result.seconds.toFixed(0)} s, ${result.perSecond.toFixed(0)} tokens/s`);

  // Growth over the second half, per token: what each issued token keeps alive, if anything.
  const half = samples.find((s) => s.issued >= tokens / 2) ?? samples[0]!;
  const last = samples.at(-1)!;
  const peak = Math.max(...samples.map((s) => s.rss));
  const perToken = (last.rss - half.rss) / Math.max(1, last.issued - half.issued);
  console.log(
    `RSS at half-way (${half.issued} tokens) ${mb(half.rss)} MB, at the end ${mb(last.rss)} MB, peak ${mb(peak)} MB; ` +
      `growth over the second half ${perToken.toFixed(1)} bytes/token`,
  );
  console.log(
    perToken < 16
      ? 'levels off: no measurable memory per issued token'
      : `does NOT level off: about ${perToken.toFixed(0)} bytes kept per token`,
  );
} finally {
  await tollgate.stop();
  await keys.remove();
}
