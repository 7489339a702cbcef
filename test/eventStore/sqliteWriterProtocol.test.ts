import { expect } from 'chai';
import {
  fromWireBatch,
  fromWireOutcomes,
  toWireBatch,
  toWireOutcomes,
  type WireAppend,
  type WireOutcome,
} from '../../src/eventStore/sqlite/writerProtocol.js';

describe('SQLite writer protocol: batches and outcomes as flat lists', () => {
  it('given appends of every shape, when flattened and read back, then they are the same appends, in order', () => {
    const appends: WireAppend[] = [
      { streamName: 'oauthTokens-a', expectedRevision: 'any', rows: [{ id: 'e1', type: 'TokenIssued', body: '\u0002\u0000\u00ff packed' }] },
      {
        streamName: 'application-b',
        expectedRevision: 7,
        rows: [
          { id: 'e2', type: 'ApplicationRenamed', data: '{"name":"x"}', metadata: '{"actor":"u"}' },
          { id: 'e3', type: 'TokenIssued', body: '' },
          { id: 'e4', type: 'Empty', data: 'null', metadata: '{}' },
        ],
      },
      { streamName: 'c', expectedRevision: 'no_stream', rows: [] },
      { streamName: 'd', expectedRevision: 'stream_exists', rows: [{ id: 'e5', type: 'X', data: '""', metadata: '{}' }] },
      { streamName: 'e', expectedRevision: 0, rows: [{ id: 'e6', type: 'Y', data: '0', metadata: '{}' }] },
    ];
    const flat = toWireBatch(appends);
    expect(flat.every((value) => value === null || typeof value !== 'object'), 'nothing but strings, numbers and null').to.equal(true);
    expect(fromWireBatch(structuredClone(flat))).to.deep.equal(appends);
    expect(fromWireBatch(toWireBatch([]))).to.deep.equal([]);
  });

  it('given outcomes that succeeded and failed, when flattened and read back, then each is the same outcome with its own error', () => {
    const outcomes: WireOutcome[] = [
      { ok: true, result: { nextExpectedRevision: 0, position: 1 } },
      { ok: false, error: { kind: 'concurrency', streamName: 's', expected: 3, actual: 'no_stream' } },
      { ok: true, result: { nextExpectedRevision: 41, position: 9_007_199_254_740 } },
      { ok: false, error: { kind: 'other', name: 'SqliteError', message: 'UNIQUE constraint failed', code: 'SQLITE_CONSTRAINT_UNIQUE' } },
    ];
    expect(fromWireOutcomes(structuredClone(toWireOutcomes(outcomes)))).to.deep.equal(outcomes);
    expect(fromWireOutcomes(toWireOutcomes([]))).to.deep.equal([]);
  });
});
