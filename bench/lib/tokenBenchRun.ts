import { availableParallelism } from 'node:os';
import { BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, createBenchKeys, startFloorChild, startPeerChild, startTollgateChild } from './benchServers.js';
import type { ChildServer } from './childServer.js';
import { runLoad, type LoadResult, type LoadSpec } from './loadRun.js';
import { RESULT_HEADER, formatMedian, formatResult, median, medians } from './report.js';
import { scenarios, type ScenarioName } from './scenarios.js';
import { settle } from './settle.js';
import { signingRate } from './signingRate.js';
import { verifyFirstResponse } from './verifyFirstToken.js';
import { basicAuth, FORM } from './tollgateAdmin.js';

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
  /**
   * Also run the floor (bench/servers/floorServer.mjs: bare node:http + RS256 signing, nothing
   * stored) when the scenario has a peer and signs RS256 (default true).
   */
  floor?: boolean;
  /**
   * With the floor, also run the floor that stores (floorServer.mjs mode `store`: the same, plus
   * a durable SQLite append per token before the answer) (default true).
   */
  storeFloor?: boolean;
}

export interface TokenBenchSummary {
  tollgate: LoadResult[];
  peer: LoadResult[];
  ratios: number[];
  floor: LoadResult[];
  /** Tollgate / floor per round. */
  floorRatios: number[];
  storeFloor: LoadResult[];
  /** floor+store / floor per round: what recording each token durably costs on its own. */
  storeFloorRatios: number[];
  /** Tollgate / floor+store per round: what everything but the durable append costs. */
  tollgateStoreFloorRatios: number[];
  signingPerSecond?: number;
}

/**
 * Tollgate and (for client_credentials) node-oidc-provider and the floor, each in its own
 * process, driven by autocannon in this one, in rounds whose order rotates (T,P,F then P,F,T
 * then F,T,P, ...) after each server's warm-up; every process idles before each timed run
 * starts. Prints, per round and as medians, Tollgate / peer and Tollgate / floor.
 */
export async function runTokenBench(options: TokenBenchOptions, print: (line: string) => void): Promise<TokenBenchSummary> {
  const scenario = scenarios[options.scenario];
  const withPeer = scenario.withPeer && options.peer !== false;
  const withFloor = scenario.withPeer && scenario.alg === 'RS256' && options.floor !== false;
  const withStoreFloor = withFloor && options.storeFloor !== false;
  const keys = await createBenchKeys(scenario.alg);
  const servers: ChildServer[] = [];
  try {
    print(`scenario: ${scenario.title}`);
    print(
      `load: autocannon, ${options.connections} connections, ${options.amount ? `${options.amount} requests` : `${options.duration} s`} per run, ` +
        `${options.rounds} rounds${withPeer || withFloor ? ' in rotating order' : ''}, warm-up ${options.warmup} s per server; client_secret_basic`,
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
    const floor = withFloor ? await startFloorChild(keys) : undefined;
    if (floor) servers.push(floor);
    const storeFloor = withStoreFloor ? await startFloorChild(keys, 'store') : undefined;
    if (storeFloor) servers.push(storeFloor);
    const forRun = await scenario.prepareTollgate(tollgate.url, options.connections);
    const floorSpec: LoadSpec = {
      path: '/token',
      headers: { authorization: basicAuth(BENCH_CLIENT_ID, BENCH_CLIENT_SECRET), 'content-type': FORM },
      body: 'grant_type=client_credentials',
    };
    const specFor = async (server: ChildServer): Promise<LoadSpec> =>
      server === tollgate ? forRun() : server === floor || server === storeFloor ? floorSpec : scenario.peerSpec();

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

    const summary: TokenBenchSummary = { tollgate: [], peer: [], ratios: [], floor: [], floorRatios: [], storeFloor: [], storeFloorRatios: [], tollgateStoreFloorRatios: [], signingPerSecond };
    print(RESULT_HEADER);
    for (let round = 1; round <= options.rounds; round += 1) {
      const shift = (round - 1) % servers.length;
      const order = [...servers.slice(shift), ...servers.slice(0, shift)];
      for (const server of order) {
        const result = await run(server, options.duration);
        (server === tollgate ? summary.tollgate : server === floor ? summary.floor : server === storeFloor ? summary.storeFloor : summary.peer).push(result);
        print(formatResult(String(round), server.name, result));
      }
      const ratios: string[] = [];
      if (peer) {
        const ratio = summary.tollgate.at(-1)!.perSecond / summary.peer.at(-1)!.perSecond;
        summary.ratios.push(ratio);
        ratios.push(`tollgate / oidc-provider ${ratio.toFixed(2)}x`);
      }
      if (floor) {
        const ratio = summary.tollgate.at(-1)!.perSecond / summary.floor.at(-1)!.perSecond;
        summary.floorRatios.push(ratio);
        ratios.push(`tollgate / floor ${ratio.toFixed(2)}`);
      }
      if (floor && storeFloor) {
        const ratio = summary.storeFloor.at(-1)!.perSecond / summary.floor.at(-1)!.perSecond;
        summary.storeFloorRatios.push(ratio);
        ratios.push(`floor+store / floor ${ratio.toFixed(2)}`);
      }
      if (storeFloor) {
        const ratio = summary.tollgate.at(-1)!.perSecond / summary.storeFloor.at(-1)!.perSecond;
        summary.tollgateStoreFloorRatios.push(ratio);
        ratios.push(`tollgate / floor+store ${ratio.toFixed(2)}`);
      }
      if (ratios.length > 0) print(`${''.padEnd(7)}ratio ${ratios.join(', ')}`);
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
      const ahead = summary.ratios.every((r) => r > 1);
      print(`ratio tollgate / oidc-provider per round: ${summary.ratios.map((r) => r.toFixed(2)).join(', ')}; median ${median(summary.ratios).toFixed(2)}x (target: ahead in every round — ${ahead ? 'yes' : 'no'})`);
      print(`p99 tollgate ${t.p99} ms vs oidc-provider ${p.p99} ms (median of rounds; target: no worse)`);
    }
    if (floor) {
      print(formatMedian('floor', medians(summary.floor)));
      print(`ratio tollgate / floor per round: ${summary.floorRatios.map((r) => r.toFixed(2)).join(', ')}; median ${median(summary.floorRatios).toFixed(2)} (target >= 0.85)`);
    }
    if (floor && storeFloor) {
      print(formatMedian('floor+store', medians(summary.storeFloor)));
      print(
        `ratio floor+store / floor per round: ${summary.storeFloorRatios.map((r) => r.toFixed(2)).join(', ')}; median ${median(summary.storeFloorRatios).toFixed(2)} ` +
          '(the durable append alone, no authentication, audit fields or projections)',
      );
      print(
        `ratio tollgate / floor+store per round: ${summary.tollgateStoreFloorRatios.map((r) => r.toFixed(2)).join(', ')}; ` +
          `median ${median(summary.tollgateStoreFloorRatios).toFixed(2)} (everything Tollgate does beyond the durable append)`,
      );
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
