import { availableParallelism } from 'node:os';
import { createBenchKeys, startPeerChild, startTollgateChild } from './benchServers.js';
import type { ChildServer } from './childServer.js';
import { runLoad, type LoadResult, type LoadSpec } from './loadRun.js';
import { RESULT_HEADER, formatMedian, formatResult, median, medians } from './report.js';
import { scenarios, type ScenarioName } from './scenarios.js';
import { settle } from './settle.js';
import { signingRate } from './signingRate.js';
import { verifyFirstResponse } from './verifyFirstToken.js';

export interface TokenBenchOptions {
  scenario: ScenarioName;
  connections: number;
  /** Seconds per timed run. */
  duration: number;
  /** Requests per timed run instead of a duration (smoke runs). */
  amount?: number;
  rounds: number;
  /** Seconds of warm-up per server before the rounds; 0 for none. */
  warmup: number;
  /** Seconds of the in-process signing probe; 0 to skip it. */
  signSeconds: number;
  /** Also run node-oidc-provider when the scenario has a peer (default true). */
  peer?: boolean;
}

export interface TokenBenchSummary {
  tollgate: LoadResult[];
  peer: LoadResult[];
  ratios: number[];
  signingPerSecond?: number;
}

/**
 * Tollgate and (for client_credentials) node-oidc-provider, each in its own process, driven
 * by autocannon in this one, in alternating rounds (T,P then P,T, ...) after each server's
 * warm-up; every process idles before each timed run starts.
 */
export async function runTokenBench(options: TokenBenchOptions, print: (line: string) => void): Promise<TokenBenchSummary> {
  const scenario = scenarios[options.scenario];
  const withPeer = scenario.withPeer && options.peer !== false;
  const keys = await createBenchKeys(scenario.alg);
  const servers: ChildServer[] = [];
  try {
    print(`scenario: ${scenario.title}`);
    print(
      `load: autocannon, ${options.connections} connections, ${options.amount ? `${options.amount} requests` : `${options.duration} s`} per run, ` +
        `${options.rounds} rounds${withPeer ? ' alternating A/B' : ''}, warm-up ${options.warmup} s per server; client_secret_basic`,
    );
    let signingPerSecond: number | undefined;
    if (options.signSeconds > 0) {
      signingPerSecond = await signingRate({ privateKey: keys.privateKey, kid: keys.kid, seconds: options.signSeconds, inFlight: 1 });
      const parallel = await signingRate({ privateKey: keys.privateKey, kid: keys.kid, seconds: options.signSeconds, inFlight: 16 });
      print(
        `signing limit (jose SignJWT, same ${keys.alg} key, in-process): ${signingPerSecond.toFixed(0)}/s one at a time (one core); ` +
          `${parallel.toFixed(0)}/s with 16 in flight (Node's crypto thread pool, ${availableParallelism()} cores)`,
      );
    }

    const tollgate = await startTollgateChild(keys, { dataDirName: 'var' });
    servers.push(tollgate);
    const peer = withPeer ? await startPeerChild(keys) : undefined;
    if (peer) servers.push(peer);
    const forRun = await scenario.prepareTollgate(tollgate.url, options.connections);
    const specFor = async (server: ChildServer): Promise<LoadSpec> => (server === tollgate ? forRun() : scenario.peerSpec());

    print(await verifyFirstResponse({ name: 'tollgate', baseUrl: tollgate.url, jwksPath: '/.well-known/jwks.json', spec: await forRun(), alg: keys.alg }));
    if (peer) {
      print(await verifyFirstResponse({ name: 'oidc-provider', baseUrl: peer.url, jwksPath: '/jwks', spec: scenario.peerSpec(), alg: keys.alg }));
    }

    const pids = servers.map((s) => s.pid);
    const run = async (server: ChildServer, seconds: number): Promise<LoadResult> => {
      const spec = await specFor(server);
      await settle(pids);
      return runLoad(server.url, spec, {
        connections: options.connections,
        duration: seconds,
        serverPid: server.pid,
        ...(options.amount !== undefined ? { amount: options.amount } : {}),
      });
    };
    if (options.warmup > 0) for (const server of servers) await run(server, options.warmup);

    const summary: TokenBenchSummary = { tollgate: [], peer: [], ratios: [], signingPerSecond };
    print(RESULT_HEADER);
    for (let round = 1; round <= options.rounds; round += 1) {
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      for (const server of order) {
        const result = await run(server, options.duration);
        (server === tollgate ? summary.tollgate : summary.peer).push(result);
        print(formatResult(String(round), server.name, result));
      }
      if (peer) {
        const ratio = summary.tollgate.at(-1)!.perSecond / summary.peer.at(-1)!.perSecond;
        summary.ratios.push(ratio);
        print(`${''.padEnd(7)}ratio tollgate / oidc-provider: ${ratio.toFixed(2)}x`);
      }
    }
    if (options.signSeconds > 0) {
      // Measured again once the servers idle, as the machine is shared: the higher one counts.
      await settle(pids);
      const again = await signingRate({ privateKey: keys.privateKey, kid: keys.kid, seconds: options.signSeconds, inFlight: 1 });
      print(`signing limit again after the rounds: ${again.toFixed(0)}/s one at a time; using the higher of the two`);
      signingPerSecond = Math.max(signingPerSecond ?? 0, again);
      summary.signingPerSecond = signingPerSecond;
    }
    const t = medians(summary.tollgate);
    print(formatMedian('tollgate', t));
    if (peer) {
      const p = medians(summary.peer);
      print(formatMedian('oidc-provider', p));
      print(`ratio tollgate / oidc-provider per round: ${summary.ratios.map((r) => r.toFixed(2)).join(', ')}; median ${median(summary.ratios).toFixed(2)}x (target >= 1.3x)`);
      print(`p99 tollgate ${t.p99} ms vs oidc-provider ${p.p99} ms (median of rounds; target: no worse)`);
    }
    if (signingPerSecond && scenario.unit === 'tokens') {
      print(
        `tollgate ${scenario.unit}/s as a fraction of one core's signing rate: ${((t.perSecond / signingPerSecond) * 100).toFixed(0)}% ` +
          `(${t.perSecond.toFixed(0)} / ${signingPerSecond.toFixed(0)}${scenario.withPeer ? '; target >= 70%' : ''})`,
      );
    }
    return summary;
  } finally {
    for (const server of servers) await server.stop();
    await keys.remove();
  }
}
