/**
 * `npx tsx bench/floorProbe.ts [--duration 8] [--connections 50] [--modes http,sign,store] [--headers few]`
 *
 * What a token endpoint costs on this machine before any of Tollgate's work: a bare node:http
 * server (HTTP alone), then the same server signing an RS256 JWS per request with the bench key
 * and storing nothing, then signing and durably appending one row per token to SQLite
 * (bench/servers/floorServer.mjs, mode `store`). Prints throughput and CPU per response (server
 * and load generator), the figures BENCHMARKS.md uses to bound what ratio is reachable here.
 * `--headers few,object,list` runs each mode with each header style (FLOOR_HEADERS): what
 * writing Tollgate's 11 response headers costs, as a spread object or as a flat list.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, createBenchKeys } from './lib/benchServers.js';
import { startChildServer } from './lib/childServer.js';
import { freePort } from './lib/freePort.js';
import { runLoad } from './lib/loadRun.js';
import { formatResult, RESULT_HEADER } from './lib/report.js';
import { settle } from './lib/settle.js';
import { basicAuth, FORM } from './lib/tollgateAdmin.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
    modes: { type: 'string', default: 'http,sign,store' },
    headers: { type: 'string', default: 'few' },
  },
});
const styles = values.headers.split(',');
const keys = await createBenchKeys('RS256');
try {
  console.log(RESULT_HEADER);
  for (const [mode, style] of values.modes.split(',').flatMap((m) => styles.map((h) => [m, h] as const))) {
    const server = await startChildServer({
      name: `floor-${mode}`,
      script: fileURLToPath(new URL('./servers/floorServer.mjs', import.meta.url)),
      env: { PORT: String(await freePort()), FLOOR_MODE: mode, FLOOR_HEADERS: style, BENCH_JWK_FILE: keys.jwkFile },
    });
    try {
      const spec = { path: '/token', headers: { authorization: basicAuth(BENCH_CLIENT_ID, BENCH_CLIENT_SECRET), 'content-type': FORM }, body: 'grant_type=client_credentials' };
      await runLoad(server.url, spec, { connections: Number(values.connections), duration: 2 });
      await settle([server.pid]);
      const result = await runLoad(server.url, spec, { connections: Number(values.connections), duration: Number(values.duration), serverPid: server.pid });
      console.log(formatResult('-', styles.length > 1 ? `floor ${mode} ${style}` : `floor ${mode}`, result));
    } finally {
      await server.stop();
    }
  }
} finally {
  await keys.remove();
}
