import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { applyHeapPolicy, HEAP_GROWING_FLAG } from '../../src/app/heapPolicy.js';

const workload = fileURLToPath(new URL('./fixtures/heapWorkload.ts', import.meta.url));
const fullCollections = (percent: number): number => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', workload, String(percent)], { encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).to.equal(0);
  return Number(run.stdout.trim());
};

describe('heap policy (HEAP_GROWING_PERCENT)', function () {
  this.timeout(120_000);

  it("given this Node.js, then its V8 knows the flag (setFlagsFromString would ignore an unknown one silently)", () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(options).to.contain(`${HEAP_GROWING_FLAG} `);
  });

  it('given a negative or fractional percent, when applied, then it is refused with a RangeError', () => {
    expect(() => applyHeapPolicy(-1)).to.throw(RangeError, /whole number/);
    expect(() => applyHeapPolicy(12.5)).to.throw(RangeError, /whole number/);
  });

  it("given garbage that is promoted before it dies, when the policy is 50%, then full collections come at least twice as often as under V8's own policy", () => {
    const own = fullCollections(0);
    const tight = fullCollections(50);
    expect(own).to.be.greaterThan(0);
    expect(tight).to.be.at.least(2 * own);
  });
});
