import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * A minimal RFC 5322 / MIME reader for tests: headers (unfolded, RFC 2047 words decoded) and
 * the text/plain and text/html parts (quoted-printable, base64 or 7bit). Enough for what
 * nodemailer writes; not a general parser.
 */
interface ParsedEmail {
  headers: Record<string, string>;
  subject: string;
  from: string;
  to: string[];
  messageId: string;
  text: string;
  html: string;
  raw: string;
}

function decodeQuotedPrintable(s: string, header = false): Buffer {
  const input = header ? s.replace(/_/g, ' ') : s.replace(/=\r?\n/g, '');
  // split with a capture group alternates plain text and the hex digits of each =XX escape
  const pieces = input.split(/=([0-9A-Fa-f]{2})/);
  return Buffer.concat(pieces.map((piece, i) => (i % 2 === 1 ? Buffer.from([parseInt(piece, 16)]) : Buffer.from(piece, 'utf8'))));
}

const decodeWords = (value: string): string =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
      (enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text, true)).toString('utf8'),
    );

function splitHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return headers;
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { headers: splitHeaders(raw), body: '' };
  return { headers: splitHeaders(raw.slice(0, m.index)), body: raw.slice(m.index + m[0].length) };
}

function decodeBody(body: string, encoding = '7bit'): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return decodeQuotedPrintable(body).toString('utf8');
  return body;
}

function collectParts(raw: string, out: { text: string; html: string }): void {
  const { headers, body } = splitEntity(raw);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) if (!part.startsWith('--')) collectParts(part.replace(/^\r?\n/, ''), out);
    return;
  }
  const decoded = decodeBody(body, headers['content-transfer-encoding']).replace(/\r\n/g, '\n');
  if (/^text\/html/i.test(type)) out.html = decoded.trimEnd();
  else if (/^text\/plain/i.test(type)) out.text = decoded.trimEnd();
}

export function parseEmail(raw: string): ParsedEmail {
  const { headers } = splitEntity(raw);
  const out = { text: '', html: '' };
  collectParts(raw, out);
  return {
    headers,
    subject: headers['subject'] ?? '',
    from: headers['from'] ?? '',
    to: (headers['to'] ?? '').split(',').map((a) => a.trim()).filter(Boolean),
    messageId: headers['message-id'] ?? '',
    ...out,
    raw,
  };
}


export interface ReceivedEmail extends ParsedEmail {
  /** Envelope recipients (RCPT TO). */
  rcptTo: string[];
  mailFrom: string;
}

export interface SmtpSink {
  readonly url: string;
  readonly messages: ReceivedEmail[];
  /** Answer the next `n` DATA commands with `code` (default 451: try again later). */
  rejectNext(n: number, code?: number): void;
  /** How many deliveries were refused so far. */
  readonly rejected: number;
  /** Resolves once `count` messages arrived. */
  waitFor(count: number): Promise<ReceivedEmail[]>;
  close(): Promise<void>;
}

/** An in-process SMTP server (`smtp-server`) that keeps every message it accepts, parsed. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedEmail[] = [];
  const waiters: { count: number; resolve: (m: ReceivedEmail[]) => void }[] = [];
  let rejectRemaining = 0;
  let rejectCode = 451;
  let rejected = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    size: 10 * 1024 * 1024,
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejectRemaining > 0) {
          rejectRemaining -= 1;
          rejected += 1;
          const error = Object.assign(new Error(rejectCode >= 500 ? 'Rejected for good' : 'Try again later'), { responseCode: rejectCode });
          return callback(error);
        }
        const message: ReceivedEmail = {
          ...parseEmail(Buffer.concat(chunks).toString('utf8')),
          rcptTo: session.envelope.rcptTo.map((a) => a.address),
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        };
        messages.push(message);
        for (const w of [...waiters]) {
          if (messages.length >= w.count) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve([...messages]);
          }
        }
        callback();
      });
    },
  });
  // A client killed mid-session (a SIGKILLed server under test) resets its connection; the
  // sink ignores that instead of crashing the test run with an unhandled 'error'.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Replies are small writes: without this, Nagle + delayed ACK add ~40 ms per command.
  server.server.on('connection', (socket: import('node:net').Socket) => socket.setNoDelay(true));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    rejectNext(n, code = 451) {
      rejectRemaining = n;
      rejectCode = code;
    },
    get rejected() {
      return rejected;
    },
    waitFor(count) {
      if (messages.length >= count) return Promise.resolve([...messages]);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
