import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { MailDeliveryError, type Mailer, type OutgoingEmail } from '../../workers/mail/mailer.js';
import { createOutboxMailer } from '../../workers/mail/outboxMailer.js';
import { createSmtpMailer } from '../../workers/mail/smtpMailer.js';
import { parseEmail, startSmtpSink, type SmtpSink } from '../support/smtpSink.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';

const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: 'Tollgate <no-reply@tollgate.example>',
  to: ['owner@example.com'],
  subject: 'OAuth-Anwendung hinzugefügt',
  html: '<p>Grüße</p>',
  text: 'Grüße',
  messageId: '<0f8e2c1a-job@tollgate.example>',
  ...over,
});

async function failure(mailer: Mailer, e: OutgoingEmail): Promise<MailDeliveryError> {
  try {
    await mailer.send(e);
  } catch (error) {
    expect(error).to.be.instanceOf(MailDeliveryError);
    return error as MailDeliveryError;
  }
  throw new Error('expected send to fail');
}

describe('outbox mailer', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-outbox-')));
  afterEach(async () => dir.remove());

  it('when an email is sent, then one RFC 5322 .eml file <timestamp>-<jobId>.eml holds it, and no temp file is left', async () => {
    const mailer = createOutboxMailer(dir.path, () => new Date('2026-03-04T05:06:07.089Z'));
    await mailer.send(email());
    const files = readdirSync(dir.path);
    expect(files).to.deep.equal(['20260304T050607089Z-0f8e2c1a-job.eml']);
    const parsed = parseEmail(readFileSync(dir.file(files[0]!), 'utf8'));
    expect(parsed.subject).to.equal('OAuth-Anwendung hinzugefügt');
    expect(parsed.to).to.deep.equal(['owner@example.com']);
    expect(parsed.messageId).to.equal('<0f8e2c1a-job@tollgate.example>');
    expect(parsed.text).to.equal('Grüße');
    expect(parsed.html).to.equal('<p>Grüße</p>');
    expect(parsed.headers['date']).to.match(/2026/);
  });

  it('given a message already in the outbox, when the same message id is sent again (a retry), then no second file appears', async () => {
    await createOutboxMailer(dir.path).send(email());
    await createOutboxMailer(dir.path).send(email()); // a fresh process reads the outbox
    expect(readdirSync(dir.path)).to.have.length(1);
  });

  it('when a recipient address is invalid, then the failure is permanent and nothing is written', async () => {
    const error = await failure(createOutboxMailer(dir.path), email({ to: ['not an address'] }));
    expect(error.permanent).to.equal(true);
    expect(error.message).to.include('Invalid recipient address');
    expect(readdirSync(dir.path)).to.deep.equal([]);
  });
});

describe('SMTP mailer against an in-process smtp-server', () => {
  let sink: SmtpSink;
  beforeEach(async () => (sink = await startSmtpSink()));
  afterEach(async () => sink.close());

  it('when an email is sent, then the server receives it with envelope, headers and both bodies', async () => {
    const mailer = createSmtpMailer(sink.url);
    await mailer.send(email({ to: ['a@example.com', 'b@example.org'] }));
    await mailer.close();
    const [m] = await sink.waitFor(1);
    expect(m!.rcptTo).to.deep.equal(['a@example.com', 'b@example.org']);
    expect(m!.mailFrom).to.equal('no-reply@tollgate.example');
    expect(m!.subject).to.equal('OAuth-Anwendung hinzugefügt');
    expect(m!.text).to.equal('Grüße');
    expect(m!.html).to.equal('<p>Grüße</p>');
  });

  it('when the server answers 451, then the failure is transient', async () => {
    sink.rejectNext(1, 451);
    const mailer = createSmtpMailer(sink.url);
    const error = await failure(mailer, email());
    await mailer.close();
    expect(error).to.include({ permanent: false });
    expect(error.message).to.include('SMTP 451');
  });

  it('when the server answers 550, then the failure is permanent', async () => {
    sink.rejectNext(1, 550);
    const mailer = createSmtpMailer(sink.url);
    const error = await failure(mailer, email());
    await mailer.close();
    expect(error).to.include({ permanent: true });
  });

  it('when nothing listens on the port, then the failure is transient', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    const error = await failure(mailer, email());
    await mailer.close();
    expect(error.permanent).to.equal(false);
  });

  it('when a recipient is invalid, then it fails permanently before contacting the server', async () => {
    const mailer = createSmtpMailer(sink.url);
    const error = await failure(mailer, email({ to: ['x@example.com\r\nRCPT TO:<y@example.com>'] }));
    await mailer.close();
    expect(error.permanent).to.equal(true);
    expect(sink.messages).to.have.length(0);
  });
});
