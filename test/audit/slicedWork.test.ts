import { expect } from 'chai';
import { auditPauseMs } from '../../src/audit/auditGate.js';
import { SLICE, sortInSlices } from '../../src/audit/slicedWork.js';

describe('sortInSlices: a large sort that lets the event loop run', function () {
  const items = Array.from({ length: SLICE * 5 + 17 }, (_, i) => ({ key: (i * 7919) % 1000, i }));
  const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;

  it('given many items, then the same order as Array.prototype.sort, stable on ties', async function () {
    expect(await sortInSlices(items, byKey)).to.deep.equal([...items].sort(byKey));
  });

  it('given many items, when sorting, then other work runs before the sort is done', async function () {
    let ranMeanwhile = false;
    setImmediate(() => (ranMeanwhile = true));
    const sorting = sortInSlices(items, byKey);
    expect(ranMeanwhile).to.equal(false);
    await sorting;
    expect(ranMeanwhile).to.equal(true);
  });

  it('given nothing or one item, then the same', async function () {
    expect(await sortInSlices([], byKey)).to.deep.equal([]);
    expect(await sortInSlices([{ key: 1, i: 0 }], byKey)).to.deep.equal([{ key: 1, i: 0 }]);
  });
});

describe('auditPauseMs: audit work keeps to its share of a busy event loop', function () {
  it('given a loop nothing else uses, then audit chunks only yield', function () {
    expect(auditPauseMs(0, 5)).to.equal(0);
    expect(auditPauseMs(0.05, 5)).to.equal(0);
  });

  it('given a loop kept busy by other work, then a chunk is followed by four times its length of pause, at most 50 ms', function () {
    expect(auditPauseMs(0.8, 5)).to.equal(20);
    expect(auditPauseMs(0.8, 100)).to.equal(50);
    expect(auditPauseMs(0.8, 0)).to.equal(0);
  });

  it('given other work that uses only a little of the loop (slowed down by audit work itself), then audit work still keeps to its share', function () {
    expect(auditPauseMs(0.1, 5)).to.equal(20);
    expect(auditPauseMs(0.3, 5)).to.equal(20);
  });
});
