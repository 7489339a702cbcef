import { expect } from 'chai';
import { formatDuration, progressBar, progressFigures, progressLine } from '../../src/cli/progress.js';

describe('rebuild progress figures', () => {
  it('given half the positions in 10 s, then 50%, the event rate and 10 s to go', () => {
    const sample = { position: 500, target: 1000, events: 400, elapsedMs: 10_000 };
    expect(progressFigures(sample)).to.deep.equal({ fraction: 0.5, eventsPerSecond: 40, etaSeconds: 10 });
    expect(progressLine(sample)).to.equal('rebuild: 50% 400 events, 40 events/s, ETA 00:10');
    expect(progressBar(sample, 10)).to.equal('[#####.....]  50% 400 events 40 events/s ETA 00:10');
  });
  it('given no time elapsed or an empty store, then no rate, an unknown ETA and no division by zero', () => {
    expect(progressFigures({ position: 0, target: 1000, events: 0, elapsedMs: 0 })).to.deep.equal({ fraction: 0, eventsPerSecond: 0, etaSeconds: undefined });
    expect(progressFigures({ position: 0, target: 0, events: 0, elapsedMs: 5 }).fraction).to.equal(1);
    expect(progressLine({ position: 0, target: 1000, events: 0, elapsedMs: 0 })).to.match(/ETA --:--$/);
  });
  it('formats hours, and never shows more than 100%', () => {
    expect(formatDuration(3725)).to.equal('1:02:05');
    expect(progressFigures({ position: 1200, target: 1000, events: 1, elapsedMs: 1 }).fraction).to.equal(1);
  });
});
