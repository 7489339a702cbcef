import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { AuditText } from '../../src/audit/auditReader.js';
import { writeExport } from '../../src/audit/exportWriter.js';

/**
 * writeExport over a real socket: pages that are views of one reused buffer (what the reader
 * thread yields) arrive intact, a client that goes away closes the pages, and a reader that
 * fails after the headers cuts the response short.
 */
describe('writeExport: an export written to an HTTP response page by page', function () {
  this.timeout(30_000);
  let server: Server;
  let url: string;
  let pages: () => AsyncIterable<AuditText>;
  let outcome: Promise<'complete' | 'gone'>;

  before(async () => {
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/jsonl');
      outcome = writeExport(res, pages(), 'jsonl');
      outcome.catch(() => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => request(url, { agent: false }, resolve).on('error', reject).end());
  const bodyOf = async (res: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of res) text += String(chunk);
    return text;
  };

  /** Page i is 64 kB of one letter, written into the same buffer as every other page. */
  const page = (i: number) => String.fromCharCode(97 + (i % 26)).repeat(64 * 1024 - 1) + '\n';
  const reusedBuffer = (count: number, onClose: () => void = () => undefined) =>
    async function* (): AsyncGenerator<AuditText> {
      const shared = Buffer.alloc(64 * 1024);
      try {
        for (let i = 0; i < count; i++) {
          shared.write(page(i), 'latin1');
          yield shared;
        }
      } finally {
        onClose();
      }
    };

  it('given pages that are views of one reused buffer, when a client reads them slowly, then every page arrives as it was (no page is asked for before the last was written)', async () => {
    pages = reusedBuffer(40);

    const res = await get();
    let text = '';
    for await (const chunk of res) {
      text += String(chunk);
      await sleep(1); // a slow reader: the socket's buffers fill, writes wait
    }

    expect(await outcome).to.equal('complete');
    const expected = Array.from({ length: 40 }, (_, i) => page(i)).join('');
    expect(text.length).to.equal(expected.length);
    expect(text === expected, 'every page intact').to.equal(true);
  });

  it('given a client that goes away after the first bytes, then the pages are closed and the export ends as gone', async () => {
    let closed = false;
    pages = reusedBuffer(10_000, () => (closed = true));

    const res = await get();
    await new Promise((resolve) => res.once('data', resolve));
    res.destroy();

    expect(await outcome).to.equal('gone');
    expect(closed).to.equal(true);
  });

  it('given a reader that fails after the first page, then the response is cut short, never a complete answer, and the error reaches the caller', async () => {
    pages = async function* () {
      yield page(0);
      throw new Error('the audit reader thread stopped');
    };

    const res = await get();
    const received = await bodyOf(res).then(
      () => 'complete',
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );

    expect(received).to.not.equal('complete');
    const failure = await outcome.then(() => null, (error: Error) => error.message);
    expect(failure).to.equal('the audit reader thread stopped');
  });
});
