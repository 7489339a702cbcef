import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTokenBench } from '../../bench/lib/tokenBenchRun.js';
import { selfTimes } from '../../bench/lib/cpuProfile.js';

/**
 * Keeps the benchmark harness from rotting: a few hundred requests through the real harness
 * (both servers in their own processes, first tokens verified). No timing assertions.
 */
describe('bench harness smoke run', function () {
  this.timeout(60_000);
  const quiet = () => {};

  it('given both servers and both floors, when the headline scenario runs a few hundred requests, then every one is a 2xx, both tokens verified, and every ratio measured', async () => {
    const summary = await runTokenBench(
      { scenario: 'cc-rs256', connections: 4, duration: 1, amount: 200, rounds: 1, warmup: 0, signSeconds: 0 },
      quiet,
    );
    expect(summary.tollgate.map((r) => [r.ok, r.non2xx, r.errors])).to.deep.equal([[200, 0, 0]]);
    expect(summary.peer.map((r) => [r.ok, r.non2xx, r.errors])).to.deep.equal([[200, 0, 0]]);
    expect(summary.ratios).to.have.length(1);
    expect(summary.floor.map((r) => [r.ok, r.non2xx, r.errors])).to.deep.equal([[200, 0, 0]]);
    expect(summary.floorRatios).to.have.length(1);
    expect(summary.storeFloor.map((r) => [r.ok, r.non2xx, r.errors])).to.deep.equal([[200, 0, 0]]);
    expect(summary.storeFloorRatios).to.have.length(1);
    expect(summary.tollgateStoreFloorRatios).to.have.length(1);
  });

  it('given one refresh chain per connection, when each connection refreshes repeatedly, then no rotated token is ever presented again', async () => {
    const summary = await runTokenBench(
      { scenario: 'refresh', connections: 4, duration: 1, amount: 120, rounds: 1, warmup: 0, signSeconds: 0 },
      quiet,
    );
    expect(summary.tollgate.map((r) => [r.ok, r.non2xx, r.errors])).to.deep.equal([[120, 0, 0]]);
    expect(summary.peer).to.deep.equal([]);
    expect(summary.floor).to.deep.equal([]);
    expect(summary.storeFloor).to.deep.equal([]);
  });

  it('sums self time per function from a .cpuprofile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-cpuprof-test-'));
    try {
      const file = join(dir, 'x.cpuprofile');
      const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0, columnNumber: 0, scriptId: '0' });
      await writeFile(
        file,
        JSON.stringify({
          nodes: [
            { id: 1, callFrame: frame('(root)', ''), children: [2, 3] },
            { id: 2, callFrame: frame('sign', 'file:///x/node_modules/jose/dist/a.js'), children: [] },
            { id: 3, callFrame: frame('(idle)', ''), children: [] },
          ],
          samples: [2, 3, 2, 2],
          timeDeltas: [1000, 1000, 2000, 1000],
          startTime: 0,
          endTime: 5000,
        }),
      );
      const { total, functions, areas } = selfTimes(file);
      expect(total).to.equal(5);
      expect(functions[0]).to.include({ name: 'sign', where: 'jose/dist/a.js:1', ms: 4 });
      expect(areas[0]).to.include({ name: 'jose', ms: 4 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
