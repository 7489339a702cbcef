import { setImmediate as nextTurn } from 'node:timers/promises';
import { expect } from 'chai';
import { csvCell, csvRow } from '../../src/audit/csv.js';
import { exportHistory, renderExportPage } from '../../src/audit/historyExport.js';
import type { AuditedEntry } from '../../src/audit/historyQuery.js';

const entry = (n: number): AuditedEntry => ({
  position: n,
  stream: 'oauthTokens-a',
  revision: n,
  type: 'TokenIssued',
  data: { jti: `jti-${n}`, padding: 'x'.repeat(2000) },
  actor: 'client:c',
  occurredAt: '2025-11-03T09:00:00.000Z',
  recordedAt: '2025-11-03T09:00:00.000Z',
  ip: null,
  userAgent: null,
  correlationId: 'c',
  actorKind: 'client',
  actorName: 'App',
  via: null,
});

describe('History exports: streamed with backpressure, CSV safe for spreadsheets', function () {
  it('given a consumer that stops reading, then the export stops pulling pages', async function () {
    let pulled = 0;
    const render = renderExportPage('jsonl');
    async function* pages(): AsyncGenerator<string> {
      for (let page = 0; page < 1000; page += 1) {
        pulled += 1;
        yield render(Array.from({ length: 10 }, (_, i) => entry(page * 10 + i)));
      }
    }
    const readable = exportHistory(pages(), 'jsonl');

    const first = await new Promise<Buffer>((resolve) => readable.once('data', (chunk: Buffer) => {
      readable.pause();
      resolve(chunk);
    }));
    for (let i = 0; i < 50; i += 1) await nextTurn();

    expect(first.toString()).to.match(/^\{"position":0,/);
    expect(pulled).to.be.below(10);
    readable.destroy();
  });

  it('quotes cells against formula injection and RFC 4180 specials', function () {
    expect(['=1+2', '+1', '-1', '@SUM(A1)', '\t=x', '\r=x'].map(csvCell)).to.deep.equal([
      "'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\t=x", `"'\r=x"`,
    ]);
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('line\nbreak')).to.equal('"line\nbreak"');
    expect(csvCell(-5)).to.equal('-5');
    expect(csvCell(null)).to.equal('');
    expect(csvRow(['a', 1, true, null])).to.equal('a,1,true,\r\n');
  });
});
